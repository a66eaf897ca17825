import type { Path } from '../diagnostic.ts';
import type { SourceFile } from './source-file.ts';

/** Where a value of a (possibly merged) workflow was written: a file and a path inside it. */
export interface Origin {
  file: SourceFile;
  path: Path;
}

/** Maps a path of the merged workflow back to the file and path it came from. */
export type OriginOf = (path: Path) => Origin;

interface Rule {
  prefix: Path;
  resolve: (rest: Path) => Origin;
}

/** Builds an `OriginOf` from rules; the rule with the longest matching prefix decides. */
export function originMap(fallback: OriginOf, rules: Rule[]): OriginOf {
  return (path) => {
    let best: Rule | undefined;
    for (const rule of rules) {
      if (rule.prefix.length > path.length) continue;
      if (!rule.prefix.every((part, i) => part === path[i])) continue;
      if (best === undefined || rule.prefix.length > best.prefix.length) best = rule;
    }
    return best === undefined ? fallback(path) : best.resolve(path.slice(best.prefix.length));
  };
}

/** Every path of a file maps to itself. */
export function identityOrigin(file: SourceFile): OriginOf {
  return (path) => ({ file, path });
}

/** Paths under `prefix` of the merged value come from `from` at `fromPrefix`. */
export function ruleFrom(prefix: Path, from: OriginOf, fromPrefix: Path): Rule {
  return { prefix, resolve: (rest) => from([...fromPrefix, ...rest]) };
}
