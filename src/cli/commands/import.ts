import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatDiagnostic } from '../../core/diagnostic.ts';
import { type ConflictMode, importStages } from '../../core/import/import-stages.ts';
import { type CliIo, UsageError } from '../io.ts';

export interface ImportOptions {
  onConflict: ConflictMode;
  stages?: string[];
  dryRun: boolean;
}

/** Brings another workflow's stages, and the providers they use, into a workflow file; the result must validate. */
export async function importCommand(source: string, target: string, options: ImportOptions, io: CliIo) {
  const read = (file: string) =>
    readFile(resolve(io.cwd, file), 'utf8').catch(() => {
      throw new UsageError(`no such file: ${file}`);
    });
  const result = await importStages({
    source: { name: source, text: await read(source) },
    target: { name: target, text: await read(target) },
    onConflict: options.onConflict,
    ...(options.stages === undefined ? {} : { stages: options.stages }),
  });
  if (!result.ok) {
    for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    io.stderr(`flowgate: nothing imported; ${target} is unchanged\n`);
    return 1;
  }
  const report = io.stderr;
  for (const s of result.imported) {
    const how =
      s.action === 'copied'
        ? ` as "${s.to}" (copy)`
        : s.action === 'merged'
          ? ' over the existing stage (merge)'
          : '';
    report(`stage "${s.from}": ${s.action}${how}\n`);
  }
  for (const p of result.providers) {
    report(`provider "${p.from}": ${p.action}${p.action === 'renamed' ? ` to "${p.to}"` : ''}\n`);
  }
  if (options.dryRun) io.stdout(result.text);
  else {
    await writeFile(resolve(io.cwd, target), result.text);
    report(`wrote ${target}\n`);
  }
  return 0;
}
