import { SweepInputError } from './sweep-error.ts';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of an ISO time; throws a `SweepInputError` naming `what` when it is not one. */
export function timeOf(at: string, what: string): number {
  const ms = typeof at === 'string' && ISO_TIME.test(at) ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new SweepInputError(
      `${what} must be an ISO time such as 2025-06-12T02:00:00Z, not ${JSON.stringify(at)}`,
    );
  }
  return ms;
}

/** Seconds from `from` to `to` (never negative: a clock that went back counts as no time). */
export function secondsBetween(from: string, to: string): number {
  return Math.max(0, (timeOf(to, 'the end time') - timeOf(from, 'the start time')) / 1000);
}
