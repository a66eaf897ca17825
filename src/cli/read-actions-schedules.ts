import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { type ActionsSchedule, actionsSchedules } from '../core/load/actions-schedules.ts';

/**
 * For a workflow file in `<repository>/.github/flowgate/`, the `on.schedule` cron lines of the Actions workflows in
 * `<repository>/.github/workflows/` that run the flowgate Action, named relative to `cwd`. Undefined for a file
 * anywhere else (an example, a fixture): there is no repository to compare with.
 */
export async function readActionsSchedules(
  file: string,
  cwd: string,
): Promise<ActionsSchedule[] | undefined> {
  const dir = dirname(resolve(cwd, file));
  if (!dir.endsWith(`${sep}.github${sep}flowgate`)) return undefined;
  const workflows = join(dir, '..', 'workflows');
  const names = await readdir(workflows).catch(() => []);
  const schedules: ActionsSchedule[] = [];
  for (const name of names.filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const path = join(workflows, name);
    schedules.push(...actionsSchedules(relative(cwd, path), await readFile(path, 'utf8')));
  }
  return schedules;
}
