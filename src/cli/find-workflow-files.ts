import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from './io.ts';

const WORKFLOW_FILE = /\.ya?ml$/;

/** The workflow files named by `paths`: files as given, directories by their *.yml and *.yaml files (not nested). */
export async function findWorkflowFiles(paths: string[], cwd: string): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const full = resolve(cwd, path);
    const info = await stat(full).catch(() => undefined);
    if (info === undefined) throw new UsageError(`no such file or directory: ${path}`);
    if (info.isFile()) {
      found.push(path);
      continue;
    }
    const names = (await readdir(full)).filter((name) => WORKFLOW_FILE.test(name)).sort();
    if (names.length === 0) throw new UsageError(`no workflow files (*.yml, *.yaml) in ${path}`);
    found.push(...names.map((name) => join(path, name)));
  }
  return found;
}
