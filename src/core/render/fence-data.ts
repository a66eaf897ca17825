/**
 * Untrusted text as a labelled block that no line inside it can close; empty text stays empty (so that
 * `{% if feedback != blank %}` still works).
 */
export function fenceData(label: string, text: string): string {
  if (text.trim() === '') return '';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}data: ${label}\n${text.replace(/\s+$/, '')}\n${fence}`;
}
