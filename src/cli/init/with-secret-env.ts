const SECRET_ENV_LINE = /^( +)([A-Z][A-Z0-9_]*): \$\{\{ secrets\.[A-Z][A-Z0-9_]* \}\}\n/gm;
const KEPT = /^FLOWGATE_STATE_/;

/**
 * Rewrites the `env:` lines of an Actions workflow that pass model keys (`NAME: ${{ secrets.NAME }}`, all but the
 * state key's) so that they pass exactly `names`, in that order, where the first of them was.
 */
export function withSecretEnv(text: string, names: string[]): string {
  let first = true;
  return text.replace(SECRET_ENV_LINE, (line, indent: string, name: string) => {
    if (KEPT.test(name)) return line;
    if (!first) return '';
    first = false;
    return names.map((key) => `${indent}${key}: \${{ secrets.${key} }}\n`).join('');
  });
}
