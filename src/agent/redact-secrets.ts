/**
 * The text with every occurrence of a secret value replaced by `***`: used on whatever an agent or git printed
 * before it goes into a result, a log or a comment. Only exact strings are found (like the Actions log masker):
 * a secret the agent printed encoded or split is not.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret === '') continue;
    out = out.split(secret).join('***');
  }
  return out;
}
