import { error, type LintRule } from './finding.ts';

/**
 * Each cron line of `on.schedule` is a schedule of an Actions workflow that runs the flowgate Action: that job
 * sweeps the workflows whose line fired, so a line found in no Actions workflow never starts a sweep. Checked when
 * the loader is given the repository's Actions schedules (`flowgate validate` in a repository).
 */
export const sweepScheduled: LintRule = ({ parsed, actionsSchedules }) => {
  if (actionsSchedules === undefined) return [];
  return (parsed.on.schedule?.cron ?? []).flatMap((line, i) => {
    if (actionsSchedules.some((s) => s.cron.trim() === line.trim())) return [];
    const path = ['on', 'schedule', 'cron', i];
    if (actionsSchedules.length === 0) {
      return [
        error(
          'sweep-scheduled',
          path,
          `the sweep's cron line "${line}" never fires: no Actions workflow that runs the flowgate Action has an on.schedule (flowgate init writes .github/workflows/flowgate-sweep.yml)`,
        ),
      ];
    }
    const there = actionsSchedules.map((s) => `${s.file}:${s.line}:${s.col}: cron: "${s.cron}"`).join('; ');
    return [
      error(
        'sweep-scheduled',
        path,
        `the sweep's cron line "${line}" matches no schedule of the Actions workflows that run the flowgate Action, so it never fires; they have ${there}`,
      ),
    ];
  });
};
