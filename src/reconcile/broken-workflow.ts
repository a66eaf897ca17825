import { formatDiagnostic } from '../core/diagnostic.ts';
import type { RepoWorkflow } from './load-repo-workflows.ts';

/**
 * The workflow file with errors that `/flowgate start <name>` most likely means: the file named `<name>.yml`, or
 * one whose text says `name: <name>` or `command: <name>`. A file that does not load has no workflow to match, so
 * it is recognised from its text. Pure.
 */
export function brokenFileNamed(all: readonly RepoWorkflow[], name: string): RepoWorkflow | undefined {
  const wanted = name.toLowerCase();
  const says = new RegExp(
    `^\\s*(?:name|command)\\s*:\\s*["']?${escapeRegExp(wanted)}["']?\\s*(?:#.*)?$`,
    'im',
  );
  return all.find((f) => f.workflow === undefined && (baseName(f.path) === wanted || says.test(f.text)));
}

/** The workflow files with errors whose text names `label` (as a trigger label, most likely). Pure. */
export function brokenFilesWithLabel(all: readonly RepoWorkflow[], label: string): RepoWorkflow[] {
  return all.filter((f) => f.workflow === undefined && f.text.includes(label));
}

/** The reply to a start that a workflow file with errors kept from happening: each error at file:line:col. */
export function brokenFileReply(file: RepoWorkflow): string {
  return [
    `The workflow file \`${file.path}\` has errors, so no run started:`,
    '',
    '```',
    file.diagnostics.map(formatDiagnostic).join('\n'),
    '```',
    '',
    'Fix the file on the default branch (`npx flowgate validate` shows the same), then start the run again.',
  ].join('\n');
}

function baseName(path: string): string {
  return (path.split('/').at(-1) ?? path).replace(/\.ya?ml$/i, '').toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
