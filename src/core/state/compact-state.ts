import type { RunState, StageRecord } from './run-state.ts';

/** History entries a written state keeps; the status comment shows the newest few, the count says how many went. */
export const HISTORY_KEPT = 50;
/** Applied event ids a written state keeps; comments and reviews below the cursor count as applied. */
export const SEEN_KEPT = 200;
/** Rejections kept per stage (for people reading the state; the engine reads only the current attempt's). */
export const REJECTIONS_KEPT = 10;

/**
 * The state as it is written after every change, so that a run of any length keeps a status comment of about
 * the same size (and an engine step costs the same at the thousandth transition as at the first):
 * - `history` keeps its newest 50 entries; `history_trimmed` counts the rest;
 * - `seen` keeps its newest 200 ids. Comment and review ids that go raise `cursor`: every comment or review with
 *   an id at or below it counts as applied (GitHub's ids grow with time, and the app applies them in order);
 * - approvals of a stage's earlier attempts go (only the current attempt's approvals count), and each stage keeps
 *   its newest 10 rejections.
 * Stage records, outputs, usage and everything the engine decides with are kept as they are.
 */
export function compactState(state: RunState): RunState {
  const history = state.history.slice(-HISTORY_KEPT);
  const seen = state.seen.slice(-SEEN_KEPT);
  const dropped = state.seen.slice(0, state.seen.length - seen.length);
  const cursor = {
    comment: Math.max(state.cursor?.comment ?? 0, ...dropped.map((id) => idOf(id, 'comment'))),
    review: Math.max(state.cursor?.review ?? 0, ...dropped.map((id) => idOf(id, 'review'))),
  };
  const stages: Record<string, StageRecord> = {};
  for (const [id, record] of Object.entries(state.stages)) {
    stages[id] = {
      ...record,
      approvals: record.approvals.filter((a) => a.attempt >= record.attempt),
      rejections: record.rejections.slice(-REJECTIONS_KEPT),
    };
  }
  return {
    ...state,
    stages,
    history,
    history_trimmed: state.history_trimmed + state.history.length - history.length,
    seen,
    ...(cursor.comment > 0 || cursor.review > 0 ? { cursor } : {}),
  };
}

/** The GitHub id in an event id such as `comment:123`, `comment:123:2` or `review:45`; 0 for other kinds. */
function idOf(eventId: string, kind: 'comment' | 'review'): number {
  const match = new RegExp(`^${kind}:(\\d+)(?::\\d+)?$`).exec(eventId);
  return match === null ? 0 : Number(match[1]);
}
