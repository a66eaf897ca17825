import {
  assertKey,
  assertWritable,
  type BlockDecodeResult,
  blockJsonLength,
  encodedBlockLength,
  readSignedBlock,
  type SignedBlockFormat,
  type StateBinding,
  StateEncodeError,
  type StateMigration,
  type StateMigrations,
  signedBlockText,
  smallestFitting,
} from '../state/signed-block.ts';
import { SWEEP_STATE_VERSION, type Sweep, type SweepState, SweepStateSchema } from './sweep-state.ts';

/** The word after `<!--` that marks the sweep state block in a dashboard issue. */
export const SWEEP_BLOCK_MARKER = 'flowgate:sweep';

/** The most characters the sweep state block may take; the rest of the issue body (65,536) shows the sweep. */
export const MAX_SWEEP_BLOCK_CHARS = 50_000;

export const SWEEP_STATE_BLOCK: SignedBlockFormat<SweepState> = {
  marker: SWEEP_BLOCK_MARKER,
  version: SWEEP_STATE_VERSION,
  schema: SweepStateSchema,
  noun: 'sweep state',
  container: 'dashboard issue',
};

/** The migrations of the sweep state; empty, since version 1 is the first. */
export const SWEEP_STATE_MIGRATIONS: StateMigrations = Object.freeze({} as Record<number, StateMigration>);

/** Reasons of failed and skipped items are cut to this many characters when the block must shrink. */
const SHORT_REASON_CHARS = 60;

/**
 * The signed, hidden block that carries the sweep state at the end of the dashboard issue (same format and
 * escaping as a run's state block, marker `flowgate:sweep`, bound to the repository's id). The state is validated, then trimmed to fit
 * `maxChars` (see `trimSweepState`).
 */
export function encodeSweepState(
  state: SweepState,
  key: string,
  repoId: number | undefined,
  maxChars: number = MAX_SWEEP_BLOCK_CHARS,
): string {
  assertKey(key);
  assertWritable(SWEEP_STATE_BLOCK, state);
  return signedBlockText(SWEEP_STATE_BLOCK, trimSweepState(state, maxChars), key, sweepBinding(repoId));
}

/** Reads the sweep state from a dashboard issue body; refusals as for a run's state block. */
export function decodeSweepState(
  body: string,
  key: string,
  repoId: number | undefined,
  migrations: StateMigrations = SWEEP_STATE_MIGRATIONS,
): BlockDecodeResult<SweepState> {
  return readSignedBlock(SWEEP_STATE_BLOCK, body, key, sweepBinding(repoId), migrations);
}

/** A dashboard's block is bound to its repository (the workflow it sweeps is in the state). */
function sweepBinding(repoId: number | undefined): StateBinding {
  return { repoId: repoId ?? 0, subject: 'sweep' };
}

/**
 * The state, made small enough that its block takes at most `maxChars` characters. The same object when it
 * fits; otherwise a copy where, in this order and only as far as needed:
 * 1. the oldest past sweeps go, counted in `past_trimmed`;
 * 2. the current sweep's failure and skip reasons are cut to 60 characters;
 * 3. the oldest events go, counted in `events_trimmed`;
 * 4. the reasons are dropped.
 * The current sweep's queues, spending and the averages are never dropped (a sweep covers at most 500 items so
 * that they fit): a state that still does not fit throws a `StateEncodeError` with code `state_too_large`.
 */
export function trimSweepState(state: SweepState, maxChars: number = MAX_SWEEP_BLOCK_CHARS): SweepState {
  const fits = (candidate: SweepState) => encodedBlockLength(SWEEP_STATE_BLOCK, candidate) <= maxChars;
  if (fits(state)) return state;

  const dropPast = (count: number): SweepState => ({
    ...state,
    past: state.past.slice(count),
    past_trimmed: state.past_trimmed + count,
  });
  const pastDropped = smallestFitting(state.past.length, (count) => fits(dropPast(count)));
  if (pastDropped !== undefined) return dropPast(pastDropped);

  const noPast = dropPast(state.past.length);
  const shortReasons = withReasons(noPast, SHORT_REASON_CHARS);
  if (fits(shortReasons)) return shortReasons;

  const dropEvents = (count: number): SweepState => ({
    ...shortReasons,
    events: shortReasons.events.slice(count),
    events_trimmed: shortReasons.events_trimmed + count,
  });
  const eventsDropped = smallestFitting(shortReasons.events.length, (count) => fits(dropEvents(count)));
  if (eventsDropped !== undefined) return dropEvents(eventsDropped);

  const bare = withReasons(dropEvents(shortReasons.events.length), 0);
  if (fits(bare)) return bare;
  throw tooLarge(bare, maxChars);
}

function withReasons(state: SweepState, chars: number): SweepState {
  const sweep = state.current;
  if (sweep === undefined) return state;
  const cut = (reason: string) =>
    reason.length <= chars ? reason : `${reason.slice(0, Math.max(0, chars - 1))}…`;
  const stages: Sweep['stages'] = {};
  for (const [id, queue] of Object.entries(sweep.stages)) {
    stages[id] = {
      ...queue,
      failed: queue.failed.map((f) => ({ ...f, reason: chars === 0 ? '' : cut(f.reason) })),
      skipped: queue.skipped.map((s) => ({ ...s, reason: chars === 0 ? '' : cut(s.reason) })),
    };
  }
  return { ...state, current: { ...sweep, stages } };
}

function tooLarge(smallest: SweepState, maxChars: number): StateEncodeError {
  const parts: [string, number][] = [];
  for (const [field, value] of Object.entries(smallest.current ?? {})) {
    if (field === 'stages') continue;
    parts.push([`current.${field}`, blockJsonLength(value)]);
  }
  for (const [id, queue] of Object.entries(smallest.current?.stages ?? {})) {
    parts.push([`current.stages.${id}`, blockJsonLength(queue)]);
  }
  parts.push(['averages', blockJsonLength(smallest.averages)]);
  parts.sort((a, b) => b[1] - a[1]);
  const largest = parts[0];
  const hint =
    largest === undefined ? '' : `; its largest part is ${largest[0]} (${count(largest[1])} characters)`;
  return new StateEncodeError(
    'state_too_large',
    `the sweep state does not fit in its dashboard issue: it takes ${count(encodedBlockLength(SWEEP_STATE_BLOCK, smallest))} characters even with past sweeps, events and reasons dropped, and the limit is ${count(maxChars)}${hint}`,
  );
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
