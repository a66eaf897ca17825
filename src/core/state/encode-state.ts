import { type RunState, RunStateSchema, STATE_VERSION } from './run-state.ts';
import { shortenTexts } from './shorten-texts.ts';
import {
  assertKey,
  assertWritable,
  blockJsonLength,
  encodedBlockLength,
  type SignedBlockFormat,
  type StateBinding,
  StateEncodeError,
  signedBlockText,
  smallestFitting,
} from './signed-block.ts';

export {
  assertKey,
  formatIssuePath,
  type StateBinding,
  StateEncodeError,
  type StateEncodeErrorCode,
  signStateJson,
} from './signed-block.ts';

/** The word after `<!--` that marks flowgate's state block in a status comment. */
export const STATE_BLOCK_MARKER = 'flowgate:state';

/** The run state's block: in a run's status comment. */
export const RUN_STATE_BLOCK: SignedBlockFormat<RunState> = {
  marker: STATE_BLOCK_MARKER,
  version: STATE_VERSION,
  schema: RunStateSchema,
  noun: 'run state',
  container: 'status comment',
};

/**
 * The most characters an encoded state block may take. A comment holds at most 65,536; the rest is left for
 * the visible status around the block.
 */
export const MAX_STATE_BLOCK_CHARS = 60_000;

/** How many `seen` event ids survive the first trimming step; older ids go only if the state still does not fit. */
export const SEEN_IDS_KEPT = 500;

/**
 * The hidden block that carries a run's state in its status comment:
 *
 *     <!-- flowgate:state v=1
 *     {"v":1,...}
 *     sig=ed25519:<signature of the JSON line, bound to the repository and subject>
 *     -->
 *
 * See `signed-block.ts` for the format, its escaping and the binding; `where` is the repository (its id) and
 * the issue or pull request the status comment is on. The state is validated first and trimmed to fit
 * `maxChars` (see `trimState`).
 */
export function encodeStateBlock(
  state: RunState,
  key: string,
  where: StateWhere,
  maxChars: number = MAX_STATE_BLOCK_CHARS,
): string {
  assertKey(key);
  assertWritable(RUN_STATE_BLOCK, state);
  return signedBlockText(RUN_STATE_BLOCK, trimState(state, maxChars), key, runBinding(where));
}

/** Where a run's status comment lives: an `IssueRef` whose repository carries its id fits. */
export interface StateWhere {
  /** The repository's id (`repository.id` in webhooks, `GITHUB_REPOSITORY_ID` in Actions). */
  id?: number | undefined;
  number: number;
}

/** The binding of a run's state block: the repository's id and the subject's number. */
export function runBinding(where: StateWhere): StateBinding {
  return { repoId: where.id ?? 0, subject: where.number };
}

/**
 * The state, made small enough that its encoded block takes at most `maxChars` characters. Returns the same
 * object when it already fits; otherwise a copy where, in this order and only as far as needed:
 * 1. `seen` keeps its newest 500 ids;
 * 2. `history` loses its oldest entries, counted in `history_trimmed`;
 * 3. `seen` loses more of its oldest ids;
 * 4. the free texts in it (reasons, notes, feedback, errors) are cut to 500, then 100, then 20 characters
 *    (`shortenTexts`), each saying it was cut.
 * Stage records, approvals, rejections and usage are never dropped: a state that does not fit even then (a
 * workflow of thousands of stages) throws a `StateEncodeError` with code `state_too_large`.
 */
export function trimState(
  state: RunState,
  maxChars: number = MAX_STATE_BLOCK_CHARS,
  cutTexts = true,
): RunState {
  const fits = (candidate: RunState): boolean => encodedBlockLength(RUN_STATE_BLOCK, candidate) <= maxChars;
  if (fits(state)) return state;

  const seenCapped: RunState = { ...state, seen: state.seen.slice(-SEEN_IDS_KEPT) };
  if (fits(seenCapped)) return seenCapped;

  const dropHistory = (count: number): RunState => ({
    ...seenCapped,
    history: seenCapped.history.slice(count),
    history_trimmed: seenCapped.history_trimmed + count,
  });
  const historyDropped = smallestFitting(seenCapped.history.length, (count) => fits(dropHistory(count)));
  if (historyDropped !== undefined) return dropHistory(historyDropped);

  const noHistory = dropHistory(seenCapped.history.length);
  const dropSeen = (count: number): RunState => ({ ...noHistory, seen: noHistory.seen.slice(count) });
  const seenDropped = smallestFitting(noHistory.seen.length, (count) => fits(dropSeen(count)));
  if (seenDropped !== undefined) return dropSeen(seenDropped);
  if (!cutTexts) throw tooLarge(dropSeen(noHistory.seen.length), maxChars);

  // The history and seen ids only went because texts crowd the state: cut the texts instead, and keep those.
  for (const max of TEXT_STEPS) {
    const shortened = trimWithoutTexts(shortenTexts(state, max), maxChars);
    if (shortened !== undefined) return shortened;
  }
  throw tooLarge(shortenTexts(dropSeen(noHistory.seen.length), TEXT_STEPS.at(-1) ?? 0), maxChars);
}

/** How short `trimState` cuts free texts, step by step, when dropping history and seen ids is not enough. */
const TEXT_STEPS = [500, 100, 20] as const;

/** `trimState` without its last resort: undefined when history and seen ids alone cannot make the state fit. */
function trimWithoutTexts(state: RunState, maxChars: number): RunState | undefined {
  try {
    const trimmed = trimState(state, maxChars, false);
    return trimmed;
  } catch (error) {
    if (error instanceof StateEncodeError) return undefined;
    throw error;
  }
}

function tooLarge(smallest: RunState, maxChars: number): StateEncodeError {
  const parts: [string, number][] = Object.entries(smallest.stages).map(([id, record]) => [
    `stages.${id}`,
    blockJsonLength(record),
  ]);
  for (const [field, value] of Object.entries(smallest)) {
    if (field !== 'stages') parts.push([field, blockJsonLength(value)]);
  }
  parts.sort((a, b) => b[1] - a[1]);
  const largest = parts[0];
  const hint =
    largest === undefined ? '' : `; its largest part is ${largest[0]} (${count(largest[1])} characters)`;
  return new StateEncodeError(
    'state_too_large',
    `the run's state does not fit in its status comment: it takes ${count(encodedBlockLength(RUN_STATE_BLOCK, smallest))} characters ` +
      `even with its history and seen event ids dropped, and the limit is ${count(maxChars)}${hint}`,
  );
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
