import { type BabelCodeFrameOptions, codeFrameColumns } from '@babel/code-frame';

/** A path into a workflow document: keys and list indexes. */
export type Path = readonly (string | number)[];

export type Severity = 'error' | 'warning';

/** One finding about a workflow file, positioned for a person to find it. */
export interface Diagnostic {
  severity: Severity;
  /** The file as the user named it. */
  file: string;
  /** 1-based line and column. */
  line: number;
  col: number;
  message: string;
  /** The field the finding is about, e.g. `stages[2].gate.approver`. */
  path: string;
  /** A short rule name for lint findings, e.g. `unreachable-stage`; `schema` or `yaml` otherwise. */
  rule: string;
  /** The source line the position falls on (without its newline). */
  sourceLine: string;
}

/** `stages[2].gate.approver` from `['stages', 2, 'gate', 'approver']`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * `file:line:col: message (path)` followed by the source line and a caret under the column, framed by
 * `@babel/code-frame` with the line number in a gutter:
 *
 * ```
 * feature.yml:15:11: must be skip, manual, review or ai:<provider>, not "manul" (stages[0].gate)
 * > 15 |     gate: manul
 *      |           ^
 * ```
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path === '' ? '' : ` (${d.path})`;
  const label = d.severity === 'warning' ? 'warning: ' : '';
  const head = `${d.file}:${d.line}:${d.col}: ${label}${d.message}${where}`;
  if (d.sourceLine === '') return head;
  // `startLine` numbers the one line given as the file's line `d.line` (the option is older than its typings).
  const options: BabelCodeFrameOptions & { startLine: number } = {
    startLine: d.line,
    linesAbove: 0,
    linesBelow: 0,
    highlightCode: false,
  };
  const frame = codeFrameColumns(
    d.sourceLine,
    { start: { line: d.line, column: Math.max(d.col, 1) } },
    options,
  );
  return `${head}\n${frame}`;
}

/** Orders findings by file, line and column, so a reader meets them top to bottom. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message),
  );
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}
