import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Diagnostic, formatDiagnostic } from '../../core/diagnostic.ts';
import { loadWorkflow } from '../../core/load/load-workflow.ts';
import { findWorkflowFiles } from '../find-workflow-files.ts';
import { formatGithubAnnotation } from '../format-github.ts';
import { type CliIo, UsageError } from '../io.ts';
import { readActionsSchedules } from '../read-actions-schedules.ts';
import { cliReadSource } from '../read-source.ts';

export interface ValidateOptions {
  format: 'text' | 'github';
  strict: boolean;
}

export const DEFAULT_WORKFLOW_DIR = '.github/flowgate/';

/** Checks workflow files; exit 0 when clean, 1 when any has errors (or warnings, with --strict). */
export async function validateCommand(paths: string[], options: ValidateOptions, io: CliIo): Promise<number> {
  if (paths.length === 0 && !existsSync(resolve(io.cwd, DEFAULT_WORKFLOW_DIR))) {
    throw new UsageError(
      `no ${DEFAULT_WORKFLOW_DIR} directory here; name workflow files or directories, e.g. flowgate validate workflows-examples`,
    );
  }
  const files = await findWorkflowFiles(paths.length === 0 ? [DEFAULT_WORKFLOW_DIR] : paths, io.cwd);
  const readSource = cliReadSource(io.cwd, io.env);
  const all: Diagnostic[] = [];
  let failedFiles = 0;
  for (const file of files) {
    const text = await readFile(resolve(io.cwd, file), 'utf8');
    const actionsSchedules = await readActionsSchedules(file, io.cwd);
    const { diagnostics } = await loadWorkflow(file, text, {
      readSource,
      ...(actionsSchedules === undefined ? {} : { actionsSchedules }),
    });
    const failing = diagnostics.some(
      (d) => d.severity === 'error' || (options.strict && d.severity === 'warning'),
    );
    if (failing) failedFiles++;
    all.push(...diagnostics);
  }
  for (const d of all) {
    io.stdout(`${options.format === 'github' ? formatGithubAnnotation(d) : formatDiagnostic(d)}\n`);
  }
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.length - errors;
  io.stdout(`${summary(files.length, failedFiles, errors, warnings)}\n`);
  return failedFiles > 0 ? 1 : 0;
}

function summary(files: number, failed: number, errors: number, warnings: number): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const found = `${count(errors, 'error')}, ${count(warnings, 'warning')}`;
  if (failed === 0) return `${count(files, 'workflow file')} checked: valid (${found})`;
  return `${count(files, 'workflow file')} checked: ${failed} failed (${found})`;
}
