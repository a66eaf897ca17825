import { SweepInputError } from './sweep-error.ts';
import { HOUR_MS, MINUTE_MS } from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

/** How fast a shell may create content on GitHub. */
export interface PaceLimits {
  /** Content-creating requests in any 60 seconds. */
  per_minute: number;
  /** Content-creating requests in any hour. */
  per_hour: number;
  /** The least time between two writes, in milliseconds. */
  min_gap_ms: number;
}

/**
 * GitHub's secondary limits on content creation: about 80 requests a minute and 500 an hour, and its advice to
 * send mutations one at a time, at least a second apart.
 */
export const GITHUB_CONTENT_LIMITS: PaceLimits = Object.freeze({
  per_minute: 80,
  per_hour: 500,
  min_gap_ms: 1000,
});

/**
 * Spaces a shell's content-creating requests (comments, issues, labels...) so that no window of a minute or an
 * hour holds more than the limits allow. Pure: time comes in as an ISO string or epoch milliseconds. It never
 * refuses a write, it only says how long to wait first; GitHub's own 403/429 answers (`retry-after`) are still
 * the shell's to honour. Reading time: `delayBefore(now)`, then, after the write, `record(now)`.
 */
export class Pacer {
  readonly limits: PaceLimits;
  #writes: number[] = [];

  /** `history`: times of writes already made, e.g. by an earlier job, so that pacing carries across jobs. */
  constructor(limits: PaceLimits = GITHUB_CONTENT_LIMITS, history: readonly (string | number)[] = []) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isFinite(value) || value < 0 || (name !== 'min_gap_ms' && value < 1)) {
        throw new SweepInputError(`pace limit ${name} must be a positive number, not ${value}`);
      }
    }
    this.limits = { ...limits };
    for (const at of history) this.record(at);
  }

  /** Milliseconds to wait, from `now`, before the next content-creating request; 0 when it may go at once. */
  delayBefore(now: string | number): number {
    const t = ms(now);
    const w = this.#writes;
    const { per_minute, per_hour, min_gap_ms } = this.limits;
    const last = w[w.length - 1];
    const earliest = Math.max(
      t,
      last === undefined ? t : last + min_gap_ms,
      // The write that would be the (limit + 1)th in the window must wait until the oldest of them leaves it.
      (w[w.length - per_minute] ?? Number.NEGATIVE_INFINITY) + MINUTE_MS,
      (w[w.length - per_hour] ?? Number.NEGATIVE_INFINITY) + HOUR_MS,
    );
    return Math.ceil(earliest - t);
  }

  /** Notes a content-creating request made at `at`. */
  record(at: string | number): void {
    const t = ms(at);
    const w = this.#writes;
    let index = w.length;
    while (index > 0 && (w[index - 1] as number) > t) index--;
    w.splice(index, 0, t);
    const cutoff = (w[w.length - 1] as number) - HOUR_MS;
    while (w.length > 0 && (w[0] as number) <= cutoff) w.shift();
  }

  /** The writes of the last hour, oldest first, in epoch milliseconds (to carry into another job). */
  history(): number[] {
    return [...this.#writes];
  }
}

function ms(at: string | number): number {
  if (typeof at === 'number') {
    if (!Number.isFinite(at)) throw new SweepInputError(`a pace time must be finite milliseconds, not ${at}`);
    return at;
  }
  return timeOf(at, 'the pace time');
}
