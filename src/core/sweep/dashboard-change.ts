import { withEvents } from './sweep-events.ts';
import type { Sweep, SweepEvent, SweepState } from './sweep-state.ts';

/** What a dashboard command did to the state, and what to say about it. */
export interface Change {
  state: SweepState;
  applied: boolean;
  reply: boolean;
  message: string;
}

/** The sweep (or the state) changed: the event is logged; `message` and `reply` are set by the caller. */
export function changed(
  state: SweepState,
  sweep: Sweep | undefined,
  author: string,
  now: string,
  what: string,
  stage?: string,
): Change {
  const event: SweepEvent = {
    at: now,
    ...(sweep === undefined ? {} : { sweep: sweep.id }),
    ...(stage === undefined ? {} : { stage }),
    actor: author,
    what,
  };
  const next = sweep === undefined ? state : { ...state, current: sweep };
  return { state: withEvents(next, event), applied: true, reply: false, message: '' };
}

/** Nothing changed: `message` says why, as a reply. */
export function unchanged(state: SweepState, message: string): Change {
  return { state, applied: false, reply: true, message };
}

/** The sweep going on: running again, without the reason it stopped or the time it ended. */
export function running(sweep: Sweep, now: string): Sweep {
  const { reason: _, finished_at: __, ...rest } = sweep;
  return { ...rest, status: 'running', updated_at: now };
}
