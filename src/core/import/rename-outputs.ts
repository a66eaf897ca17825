import { isScalar, Scalar, visit, type YAMLMap } from 'yaml';
import { replaceInScalar, type Spliceable } from './spliceable.ts';

/**
 * Rewrites `outputs.<id>` and `outputs["<id>"]` (in templates and conditions alike) for the stages the import
 * renamed, to `outputs["<new id>"]`: a copied id ends in `-<n>`, which a condition would read as a subtraction.
 */
export function renameOutputs(piece: Spliceable<YAMLMap>, stageIds: ReadonlyMap<string, string>): void {
  const renamed = [...stageIds].filter(([from, to]) => from !== to).map(([from]) => from);
  if (renamed.length === 0) return;
  const ids = renamed.join('|'); // letters, digits, - and _: nothing a pattern would read as syntax
  const pattern = new RegExp(
    `(?<![\\w.])outputs(?:\\.(${ids})(?![\\w-])|\\[\\s*(['"])(${ids})\\2\\s*\\])`,
    'g',
  );
  const scalars: Scalar[] = [];
  visit(piece.node, {
    Scalar: (key, node) => {
      if (key !== 'key' && isScalar(node)) scalars.push(node);
    },
  });
  for (const scalar of scalars) {
    // Inside a double-quoted YAML string, the new key is quoted with single quotes.
    const quote = scalar.type === Scalar.QUOTE_DOUBLE ? "'" : '"';
    replaceInScalar(
      piece,
      scalar,
      pattern,
      (m) => `outputs[${quote}${stageIds.get(m[1] ?? m[3] ?? '')}${quote}]`,
    );
  }
}
