import type { Work } from './next-work.ts';
import { sweepCounts } from './summarize-sweep.ts';
import { SweepInputError } from './sweep-error.ts';
import { withEvents } from './sweep-events.ts';
import type { SweepState } from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

/**
 * Records what `nextWork` found when it is not a batch, so that the dashboard says it:
 * - `done`, `wait-human` or `held` on a running sweep: the sweep is completed (items left waiting are the people's
 *   now; items held at a paused stage are taken up by a later sweep once the stage is resumed);
 * - `stopped` on a running sweep (its budget was reached, e.g. after a `/resume` without a higher budget):
 *   the sweep is `budget_stopped`;
 * - `paused` on a pausing sweep: it is paused.
 * Anything else changes nothing, so settling twice is harmless. The shell then releases its lease.
 */
export function settleSweep(state: SweepState, work: Work, now: string): SweepState {
  timeOf(now, 'now');
  if (work.kind === 'batch')
    throw new SweepInputError('a batch is work to do, not an end: start it with startBatch');
  const sweep = state.current;
  if (sweep === undefined) return state;
  const event = (what: string) => ({ at: now, sweep: sweep.id, what });

  if (
    (work.kind === 'done' || work.kind === 'wait-human' || work.kind === 'held') &&
    sweep.status === 'running'
  ) {
    const counts = sweepCounts(sweep);
    const waiting =
      work.kind !== 'done' && work.waiting.length > 0
        ? `; ${counts.waiting} wait for people at ${work.waiting.map((w) => w.stage).join(', ')}`
        : '';
    const held =
      work.kind === 'held'
        ? `; ${work.held.reduce((n, h) => n + h.items.length, 0)} held at paused stages ${work.held.map((h) => h.stage).join(', ')} (\`/resume <stage>\`, then the next sweep takes them up)`
        : '';
    const summary = `${counts.completed} completed, ${counts.failed} failed, ${counts.skipped} skipped${waiting}${held}`;
    const { reason: _, ...rest } = sweep;
    return withEvents(
      { ...state, current: { ...rest, status: 'completed', finished_at: now, updated_at: now } },
      event(`sweep completed: ${summary}`),
    );
  }
  if (work.kind === 'stopped' && sweep.status === 'running') {
    return withEvents(
      {
        ...state,
        current: { ...sweep, status: work.status, reason: work.reason, finished_at: now, updated_at: now },
      },
      event(`sweep stopped: ${work.reason}`),
    );
  }
  if (work.kind === 'paused' && sweep.status === 'stopping') {
    return withEvents(
      { ...state, current: { ...sweep, status: 'paused', updated_at: now } },
      event(`paused (${sweep.reason ?? 'paused'})`),
    );
  }
  return state;
}
