import { SweepInputError } from './sweep-error.ts';
import { HOUR_MS, MINUTE_MS, type PaceRecord } from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

/**
 * Pacing across jobs. GitHub counts content-creating requests per token over a minute and an hour, whichever job
 * sent them, so a job hands the times of its requests to the next one through the sweep state. Exact times would
 * take up to 500 entries; counts per minute take at most 61 and lose only where in its minute a request went.
 */

/**
 * The requests of `history` (epoch milliseconds, e.g. `pacer.history()`) that can still matter to a later job,
 * those of the hour up to the newest, as counts per UTC minute; undefined when there are none.
 */
export function paceRecord(history: readonly number[]): PaceRecord | undefined {
  for (const t of history) {
    if (!Number.isFinite(t)) throw new SweepInputError(`a pace time must be finite milliseconds, not ${t}`);
  }
  if (history.length === 0) return undefined;
  const last = Math.max(...history);
  const kept = history.filter((t) => t > last - HOUR_MS);
  const since = minuteOf(Math.min(...kept));
  const counts = new Array<number>((minuteOf(last) - since) / MINUTE_MS + 1).fill(0);
  for (const t of kept) {
    const index = (minuteOf(t) - since) / MINUTE_MS;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return { since: new Date(since).toISOString(), counts, last: new Date(last).toISOString() };
}

/**
 * The requests of a `record` as times a `Pacer` takes, oldest first. Where in its minute a request went is lost, so
 * each is put as late as it can have been (the end of its minute, never after `last`): a request counts in a window
 * at least as long as it really does, so the pacer never waits less than it would with the exact times, and at
 * most a minute more. `known`: requests the pacer holds already (its own, or another dashboard's record it took
 * first); in each minute only the record's requests beyond those are returned, so that a record written from the
 * same pacer is not counted twice.
 */
export function paceTimes(record: PaceRecord | undefined, known: readonly number[] = []): number[] {
  if (record === undefined) return [];
  const since = timeOf(record.since, 'the pace record start');
  const last = timeOf(record.last, 'the last paced request');
  const held = new Map<number, number>();
  for (const t of known) held.set(minuteOf(t), (held.get(minuteOf(t)) ?? 0) + 1);
  const times: number[] = [];
  record.counts.forEach((count, index) => {
    const start = minuteOf(since) + index * MINUTE_MS;
    const at = Math.max(start, Math.min(start + MINUTE_MS - 1, last));
    for (let n = held.get(start) ?? 0; n < count; n++) times.push(at);
  });
  return times;
}

function minuteOf(t: number): number {
  return Math.floor(t / MINUTE_MS) * MINUTE_MS;
}
