import type { Diagnostic } from '../core/diagnostic.ts';

/** A GitHub Actions workflow command, so the finding shows as an annotation on the file. */
export function formatGithubAnnotation(d: Diagnostic): string {
  const properties = [
    `file=${escapeProperty(d.file)}`,
    `line=${d.line}`,
    `col=${d.col}`,
    `title=${escapeProperty(`flowgate ${d.rule}`)}`,
  ].join(',');
  const where = d.path === '' ? '' : ` (${d.path})`;
  return `::${d.severity} ${properties}::${escapeData(`${d.message}${where}`)}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
