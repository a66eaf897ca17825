import { EVENTS_KEPT, type SweepEvent, type SweepState } from './sweep-state.ts';

/** The state with `events` appended to its activity log, which keeps its newest 50 and counts the rest. */
export function withEvents(state: SweepState, ...events: SweepEvent[]): SweepState {
  if (events.length === 0) return state;
  const all = [...state.events, ...events];
  const kept = all.slice(-EVENTS_KEPT);
  return { ...state, events: kept, events_trimmed: state.events_trimmed + all.length - kept.length };
}
