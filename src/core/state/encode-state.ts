import { createHmac } from 'node:crypto';
import { type RunState, RunStateSchema, STATE_VERSION } from './run-state.ts';

/** The word after `<!--` that marks flowgate's state block in a status comment. */
export const STATE_BLOCK_MARKER = 'flowgate:state';

/**
 * The most characters an encoded state block may take. A comment holds at most 65,536; the rest is left for
 * the visible status around the block.
 */
export const MAX_STATE_BLOCK_CHARS = 60_000;

/** How many `seen` event ids survive the first trimming step; older ids go only if the state still does not fit. */
export const SEEN_IDS_KEPT = 500;

export type StateEncodeErrorCode = 'empty_key' | 'invalid_state' | 'state_too_large';

/** Why a state could not be written (or a key could not be used); `code` tells callers the cases apart. */
export class StateEncodeError extends Error {
  readonly code: StateEncodeErrorCode;

  constructor(code: StateEncodeErrorCode, message: string) {
    super(message);
    this.name = 'StateEncodeError';
    this.code = code;
  }
}

/** The hex HMAC-SHA256 of the block's JSON line, as written on its `sig=` line. */
export function signStateJson(json: string, key: string): string {
  assertKey(key);
  return createHmac('sha256', key).update(json, 'utf8').digest('hex');
}

/** Throws the error every codec entry point gives for a missing key. */
export function assertKey(key: string): void {
  if (key === '') {
    throw new StateEncodeError(
      'empty_key',
      'the state key is empty: set FLOWGATE_STATE_KEY to a long random secret shared by the app and the Action',
    );
  }
}

/**
 * The hidden block that carries a run's state in its status comment:
 *
 *     <!-- flowgate:state v=1
 *     {"v":1,...}
 *     sig=<hex HMAC-SHA256 of the JSON line>
 *     -->
 *
 * The JSON is one line (JSON.stringify escapes newlines inside strings), so a status comment re-saved from the
 * web UI with CRLF line endings still verifies. `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`, so
 * no content can end the HTML comment early (`-->`, `--!>`) or open another state block. The state is
 * validated first and trimmed to fit `maxChars` (see `trimState`).
 */
export function encodeStateBlock(
  state: RunState,
  key: string,
  maxChars: number = MAX_STATE_BLOCK_CHARS,
): string {
  assertKey(key);
  const parsed = RunStateSchema.safeParse(state);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${formatIssuePath(issue.path)}: ${issue.message}`;
    throw new StateEncodeError(
      'invalid_state',
      `refusing to write a run state that could not be read back${where}`,
    );
  }
  const json = stateJson(trimState(state, maxChars));
  return blockText(json, signStateJson(json, key));
}

/**
 * The state, made small enough that its encoded block takes at most `maxChars` characters. Returns the same
 * object when it already fits; otherwise a copy where, in this order and only as far as needed:
 * 1. `seen` keeps its newest 500 ids;
 * 2. `history` loses its oldest entries, counted in `history_trimmed`;
 * 3. `seen` loses more of its oldest ids.
 * Stage records, approvals, rejections and usage are never dropped: a state that does not fit without them
 * throws a `StateEncodeError` with code `state_too_large`.
 */
export function trimState(state: RunState, maxChars: number = MAX_STATE_BLOCK_CHARS): RunState {
  const fits = (candidate: RunState): boolean => encodedLength(candidate) <= maxChars;
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

  throw tooLarge(dropSeen(noHistory.seen.length), maxChars);
}

/** The state's JSON with `<`, `>` and `&` escaped; they occur only inside JSON strings, where `\u00XX` means the same. */
function stateJson(state: RunState): string {
  return JSON.stringify(state).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

function blockText(json: string, signature: string): string {
  return `<!-- ${STATE_BLOCK_MARKER} v=${STATE_VERSION}\n${json}\nsig=${signature}\n-->`;
}

const SIGNATURE_PLACEHOLDER = '0'.repeat(64);

function encodedLength(state: RunState): number {
  return blockText(stateJson(state), SIGNATURE_PLACEHOLDER).length;
}

/**
 * The smallest count in 0..max for which `fits(count)` holds, or undefined if not even `max` fits. Dropping more
 * entries never makes the block longer (an entry takes more characters than the count's extra digit), so a
 * binary search finds it with a logarithmic number of encodings.
 */
function smallestFitting(max: number, fits: (count: number) => boolean): number | undefined {
  if (!fits(max)) return undefined;
  let low = 0;
  let high = max;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function tooLarge(smallest: RunState, maxChars: number): StateEncodeError {
  const parts: [string, number][] = Object.entries(smallest.stages).map(([id, record]) => [
    `stages.${id}`,
    stateJsonLength(record),
  ]);
  for (const [field, value] of Object.entries(smallest)) {
    if (field !== 'stages') parts.push([field, stateJsonLength(value)]);
  }
  parts.sort((a, b) => b[1] - a[1]);
  const largest = parts[0];
  const hint =
    largest === undefined ? '' : `; its largest part is ${largest[0]} (${count(largest[1])} characters)`;
  return new StateEncodeError(
    'state_too_large',
    `the run's state does not fit in its status comment: it takes ${count(encodedLength(smallest))} characters ` +
      `even with its history and seen event ids dropped, and the limit is ${count(maxChars)}${hint}`,
  );
}

function stateJsonLength(value: unknown): number {
  return (JSON.stringify(value) ?? '').replace(/[<>&]/g, '\\u00XX').length;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A zod issue path as a reader writes it: `stages.plan.approvals[0].by`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the top level';
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$-]*$/.test(part))
      text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text;
}
