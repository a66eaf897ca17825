import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatDiagnostic } from '../core/diagnostic.ts';
import { type LoadedScript, loadScript } from '../core/simulate/load-script.ts';
import type { Workflow } from '../core/workflow.ts';
import { type CliIo, UsageError } from './io.ts';

/** Reads a `flowgate simulate` script for `workflow`; prints its errors and returns undefined when it has any. */
export async function readScript(
  file: string,
  workflow: Workflow,
  io: CliIo,
): Promise<LoadedScript | undefined> {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch(() => {
    throw new UsageError(`no such file: ${file}`);
  });
  const { loaded, diagnostics } = loadScript(file, text, workflow);
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  return loaded;
}
