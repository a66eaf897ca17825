const SECRET_ENV_LINE = /^( +)([A-Z][A-Z0-9_]*): \$\{\{ secrets\.[A-Z][A-Z0-9_]* \}\}\n/gm;
const KEPT = 'FLOWGATE_STATE_KEY';

/**
 * Rewrites the `env:` lines of an Actions workflow that pass model keys (`NAME: ${{ secrets.NAME }}`, all but
 * FLOWGATE_STATE_KEY) so that they pass exactly `names`, in that order, where the first of them was.
 */
export function withSecretEnv(text: string, names: string[]): string {
  let first = true;
  return text.replace(SECRET_ENV_LINE, (line, indent: string, name: string) => {
    if (name === KEPT) return line;
    if (!first) return '';
    first = false;
    return names.map((key) => `${indent}${key}: \${{ secrets.${key} }}\n`).join('');
  });
}
