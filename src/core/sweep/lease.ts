import { formatTime } from '../render/format.ts';
import { SweepInputError } from './sweep-error.ts';
import { withEvents } from './sweep-events.ts';
import type { Lease, SweepState } from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

/**
 * One sweep at a time: before it works on the sweep (or writes the state), a shell takes the lease; it renews it
 * between batches and releases it when it stops. A lease that expired belongs to a shell that died (a runner
 * crash, a job timeout): any shell may take it over, and goes on where the dead one stopped.
 */
export type LeaseResult =
  | { granted: true; state: SweepState; lease: Lease; took_over?: Lease }
  | {
      granted: false;
      held_by: string;
      run_url?: string;
      expires_at: string;
      /** The sweep the holder works on, if one has started. */
      sweep?: string;
      /** Why, in one sentence for the dashboard or the job's log. */
      message: string;
    };

export interface LeaseOptions {
  /** The holder's Actions run, shown on the dashboard. */
  run_url?: string;
}

/**
 * Takes the lease for `holder` until `now + ttlSeconds`: granted when nobody holds it, when it expired (a
 * take-over, logged), or when `holder` holds it already (a renewal); refused, naming the holder, its sweep and
 * when the lease expires, while another holder's lease runs. A refused shell must not write the state.
 */
export function acquireLease(
  state: SweepState,
  holder: string,
  now: string,
  ttlSeconds: number,
  options: LeaseOptions = {},
): LeaseResult {
  const nowMs = timeOf(now, 'now');
  checkHolder(holder);
  const held = state.lease;
  if (held !== undefined && held.holder !== holder && timeOf(held.expires_at, 'the lease expiry') > nowMs) {
    return refusal(state, held);
  }
  const lease = newLease(holder, now, nowMs, ttlSeconds, options, held?.holder === holder ? held : undefined);
  const next = { ...state, lease };
  if (held === undefined || held.holder === holder) return { granted: true, state: next, lease };
  const event = {
    at: now,
    ...(state.current === undefined ? {} : { sweep: state.current.id }),
    what: `lease taken over from ${held.holder}, whose lease expired ${formatTime(held.expires_at)}`,
  };
  return { granted: true, state: withEvents(next, event), lease, took_over: held };
}

/**
 * Extends `holder`'s lease to `now + ttlSeconds`. Refused when another shell holds the lease now (it took the
 * lease over after this one's expired): this shell must stop without writing. A holder whose lease expired but
 * was not taken over gets it back.
 */
export function renewLease(state: SweepState, holder: string, now: string, ttlSeconds: number): LeaseResult {
  checkHolder(holder);
  const held = state.lease;
  if (held !== undefined && held.holder !== holder) {
    const nowMs = timeOf(now, 'now');
    const expired = timeOf(held.expires_at, 'the lease expiry') <= nowMs;
    if (!expired) return refusal(state, held);
  }
  return acquireLease(
    state,
    holder,
    now,
    ttlSeconds,
    held?.run_url === undefined ? {} : { run_url: held.run_url },
  );
}

/** The state without `holder`'s lease; unchanged when someone else holds it (or nobody does). */
export function releaseLease(state: SweepState, holder: string): SweepState {
  if (state.lease?.holder !== holder) return state;
  const { lease: _, ...rest } = state;
  return rest;
}

/** Whether `holder` holds an unexpired lease at `now`. */
export function holdsLease(state: SweepState, holder: string, now: string): boolean {
  const lease = state.lease;
  return (
    lease !== undefined &&
    lease.holder === holder &&
    timeOf(lease.expires_at, 'the lease expiry') > timeOf(now, 'now')
  );
}

function newLease(
  holder: string,
  now: string,
  nowMs: number,
  ttlSeconds: number,
  options: LeaseOptions,
  own: Lease | undefined,
): Lease {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new SweepInputError(`the lease time must be a positive number of seconds, not ${ttlSeconds}`);
  }
  const runUrl = options.run_url ?? own?.run_url;
  return {
    holder,
    ...(runUrl === undefined ? {} : { run_url: runUrl }),
    acquired_at: own?.acquired_at ?? now,
    expires_at: new Date(nowMs + ttlSeconds * 1000).toISOString(),
  };
}

function refusal(state: SweepState, held: Lease): LeaseResult {
  const sweep = state.current?.id;
  const what = sweep === undefined ? 'is starting a sweep' : `is working on sweep ${sweep}`;
  return {
    granted: false,
    held_by: held.holder,
    ...(held.run_url === undefined ? {} : { run_url: held.run_url }),
    expires_at: held.expires_at,
    ...(sweep === undefined ? {} : { sweep }),
    message: `${held.holder} ${what} (its lease runs until ${formatTime(held.expires_at)}); one sweep runs at a time`,
  };
}

function checkHolder(holder: string): void {
  if (typeof holder !== 'string' || holder.trim() === '') {
    throw new SweepInputError('the lease holder must be a non-empty name, such as the Actions run id');
  }
}
