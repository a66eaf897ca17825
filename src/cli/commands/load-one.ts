import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatDiagnostic } from '../../core/diagnostic.ts';
import { loadWorkflow } from '../../core/load/load-workflow.ts';
import type { Workflow } from '../../core/workflow.ts';
import { type CliIo, UsageError } from '../io.ts';
import { cliReadSource } from '../read-source.ts';

/** Loads one workflow file for a command that needs a valid one; prints the errors and returns undefined if not. */
export async function loadOne(file: string, io: CliIo): Promise<Workflow | undefined> {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch(() => {
    throw new UsageError(`no such file: ${file}`);
  });
  const { workflow, diagnostics } = await loadWorkflow(file, text, {
    readSource: cliReadSource(io.cwd, io.env),
  });
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  return workflow;
}
