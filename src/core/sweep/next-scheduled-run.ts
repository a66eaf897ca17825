import { Cron } from 'croner';
import { formatTime } from '../render/format.ts';
import type { Workflow } from '../workflow.ts';
import { formatDuration } from './dashboard-sections.ts';
import { scheduleOf } from './schedule-of.ts';
import { timeOf } from './sweep-time.ts';

/**
 * When the workflow's `on.schedule.cron` next fires after `now`: the earliest next time of its lines, in UTC (as
 * Actions reads them: five fields, a day matching the day of the month OR the day of the week when both are
 * restricted), or undefined when no line ever fires again (`0 0 30 2 *`) or none can be read (lint refuses such a
 * line). Pure: croner computes the times from `now`; nothing reads the clock. GitHub may start a scheduled job
 * later than that under load, never earlier.
 */
export function nextScheduledRun(workflow: Workflow, now: string): string | undefined {
  const from = new Date(timeOf(now, 'now'));
  let next: number | undefined;
  for (const line of scheduleOf(workflow).cron) {
    let at: Date | null;
    try {
      at = new Cron(line, { legacyMode: true, paused: true, utcOffset: 0 }).nextRun(from);
    } catch {
      continue;
    }
    if (at !== null && (next === undefined || at.getTime() < next)) next = at.getTime();
  }
  return next === undefined ? undefined : new Date(next).toISOString();
}

/** `2026-12-05 02:00 UTC (in 18h 28m)`, or words saying the schedule never fires again. */
export function nextRunText(workflow: Workflow, now: string): string {
  const next = nextScheduledRun(workflow, now);
  if (next === undefined) return 'never (no cron line of on.schedule fires again)';
  return `${formatTime(next)} (in ${formatDuration((Date.parse(next) - Date.parse(now)) / 1000)})`;
}
