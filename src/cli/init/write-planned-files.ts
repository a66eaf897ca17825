import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CliIo } from '../io.ts';
import type { PlannedFile } from './plan-init-files.ts';

/**
 * Writes the planned files under `io.cwd`. A file that exists with other content is overwritten only with `force`;
 * otherwise nothing at all is written and the answer is false. With `dryRun` nothing is written: each file is
 * printed instead. Reports each file on stderr: wrote, unchanged, would write.
 */
export async function writePlannedFiles(
  files: PlannedFile[],
  options: { force: boolean; dryRun: boolean },
  io: CliIo,
): Promise<boolean> {
  const existing = new Map<string, string>();
  for (const file of files) {
    const full = resolve(io.cwd, file.path);
    if (existsSync(full)) existing.set(file.path, await readFile(full, 'utf8'));
  }
  const clashes = files.filter((f) => existing.has(f.path) && existing.get(f.path) !== f.text);
  if (clashes.length > 0 && !options.force) {
    for (const f of clashes) io.stderr(`flowgate: ${f.path} exists and differs; --force overwrites it\n`);
    if (!options.dryRun) {
      io.stderr('flowgate: nothing written\n');
      return false;
    }
  }
  for (const file of files) {
    const same = existing.get(file.path) === file.text;
    if (options.dryRun) {
      io.stdout(
        `--- ${file.path}${same ? ' (unchanged)' : ''}\n${file.text}${file.text.endsWith('\n') ? '' : '\n'}`,
      );
      continue;
    }
    if (same) {
      io.stderr(`unchanged ${file.path}\n`);
      continue;
    }
    await mkdir(dirname(resolve(io.cwd, file.path)), { recursive: true });
    await writeFile(resolve(io.cwd, file.path), file.text);
    io.stderr(`${existing.has(file.path) ? 'overwrote' : 'wrote'} ${file.path}\n`);
  }
  return options.dryRun ? clashes.length === 0 || options.force : true;
}
