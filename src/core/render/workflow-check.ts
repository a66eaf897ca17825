import type { Diagnostic } from '../diagnostic.ts';
import { formatDiagnostic } from '../diagnostic.ts';

/** A check run annotation, in the Checks API's shape. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
}

export interface WorkflowCheck {
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

/** At most this many annotations are sent (the summary lists every finding). */
export const MAX_ANNOTATIONS = 1000;
/** GitHub takes summaries of at most 65,535 characters. */
const MAX_SUMMARY = 65_000;

/**
 * The check run of the workflow files at a commit: each error and warning of the loader and lint (the same as
 * `flowgate validate`) as an annotation at its file, line and column, and a summary listing them. A file with an
 * error fails the check. Pure.
 */
export function workflowCheck(
  files: readonly { path: string; diagnostics: readonly Diagnostic[] }[],
): WorkflowCheck {
  const all = files.flatMap((f) => f.diagnostics);
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.length - errors;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const title =
    files.length === 0
      ? 'No workflow files in .github/flowgate/'
      : errors > 0
        ? `${count(errors, 'error')}${warnings > 0 ? `, ${count(warnings, 'warning')}` : ''} in the workflow files`
        : `${count(files.length, 'workflow file')} valid${warnings > 0 ? `, ${count(warnings, 'warning')}` : ''}`;
  const rows = files.map((f) => {
    const e = f.diagnostics.filter((d) => d.severity === 'error').length;
    return `| \`${f.path}\` | ${e > 0 ? `❌ ${count(e, 'error')}` : '✅ valid'} | ${f.diagnostics.length - e} |`;
  });
  const listed = all.length === 0 ? [] : ['', '```', ...all.map(formatDiagnostic), '```'];
  const full = [
    files.length === 0
      ? 'There are no workflow files in `.github/flowgate/` at this commit.'
      : `| File | Result | Warnings |\n|---|---|---|\n${rows.join('\n')}`,
    ...listed,
    '',
    'The same checks as `npx flowgate validate`. Runs that already started keep the definition they started with.',
  ].join('\n');
  const summary =
    full.length <= MAX_SUMMARY ? full : `${full.slice(0, MAX_SUMMARY)}\n\n… (cut to fit GitHub's limit)`;
  return {
    conclusion: errors > 0 ? 'failure' : 'success',
    title,
    summary,
    annotations: all.slice(0, MAX_ANNOTATIONS).map((d) => ({
      path: d.file,
      start_line: d.line,
      end_line: d.line,
      start_column: d.col,
      end_column: d.col,
      annotation_level: d.severity === 'error' ? 'failure' : 'warning',
      message: d.path === '' ? d.message : `${d.message} (${d.path})`,
      title: d.rule,
    })),
  };
}
