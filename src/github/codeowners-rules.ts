import ignore from 'ignore';

interface Rule {
  owners: string[];
  matches: (path: string) => boolean;
}

let cached: { text: string; rules: Rule[] } | undefined;

/**
 * The owners of `path` under a CODEOWNERS file: those of the LAST rule whose pattern matches, as written
 * (`@user`, `@org/team`, or an email); [] when no rule matches or the matching rule lists no owners. Pure.
 *
 * Patterns follow gitignore (through the `ignore` package), with GitHub's differences: paths are case
 * sensitive, `dir/*` matches the files directly in `dir` but not deeper ones, and `!` negation is not
 * supported (such lines are skipped, as GitHub skips them). `#` starts a comment, also after the owners;
 * `\#` is a literal `#` in a pattern.
 */
export function ownersOf(codeownersText: string, path: string): string[] {
  if (cached?.text !== codeownersText) cached = { text: codeownersText, rules: parseRules(codeownersText) };
  const relative = path.replace(/^\/+/, '');
  if (relative === '') return [];
  for (let i = cached.rules.length - 1; i >= 0; i--) {
    const rule = cached.rules[i];
    if (rule?.matches(relative)) return [...rule.owners];
  }
  return [];
}

function parseRules(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [pattern, ...rest] = tokens(line);
    if (pattern === undefined || pattern.startsWith('#') || pattern.startsWith('!')) continue;
    const comment = rest.findIndex((token) => token.startsWith('#'));
    rules.push({ owners: comment === -1 ? rest : rest.slice(0, comment), matches: matcher(pattern) });
  }
  return rules;
}

/** Splits a line on unescaped whitespace, keeping `\ ` and `\#` escapes for the pattern matcher. */
function tokens(line: string): string[] {
  return line.match(/(?:\\.|\S)+/g) ?? [];
}

function matcher(pattern: string): (path: string) => boolean {
  const rules = ignore({ ignorecase: false }).add(pattern);
  // gitignore lets `dir/*` match a subdirectory and so everything below it; CODEOWNERS does not.
  const directChildrenOnly = pattern.endsWith('/*');
  return (path) => {
    if (!rules.ignores(path)) return false;
    if (!directChildrenOnly) return true;
    const parent = path.slice(0, path.lastIndexOf('/') + 1);
    return parent === '' || !rules.ignores(parent);
  };
}
