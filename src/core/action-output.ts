import { createHash } from 'node:crypto';
import { type ActionOutput, ActionOutputSchema, checkActionOutput } from './action-output-schema.ts';
import { formatIssuePath } from './state/encode-state.ts';

export type { ActionOutput, ActionOutputKind, OutputPart } from './action-output-schema.ts';

/** The word after `<!--` that marks an output comment of the Action. */
export const OUTPUT_MARKER = 'flowgate:output';

/** The most characters GitHub keeps in one comment body. */
export const MAX_COMMENT_CHARS = 65_536;

/** The default size of one part of a long text: leaves room for the marker after it. */
export const DEFAULT_PART_CHARS = 60_000;

/** Between the visible body and the marker. */
const SEPARATOR = '\n\n';

/** Any opening of an output marker, as loosely as a person or a model might write one. */
const OPENING = /<!--\s*flowgate:output\b/gi;
/** The marker exactly as `formatActionOutput` writes it; its JSON has no `>` (escaped), so no `-->` inside. */
const MARKER = /^<!-- flowgate:output (\{[^\r\n>]*\}) -->/;

/** An output with its `sha256` left out: `formatActionOutput` computes it from the visible body. */
export type ActionOutputDraft = WithOptionalSha<ActionOutput>;
type WithOptionalSha<T> = T extends { sha256: string } ? Omit<T, 'sha256'> & { sha256?: string } : T;

/** A prompt or a response (the outputs that carry text people read, approve and edit) without its text's facts. */
export type TextOutputFields = {
  [K in 'prompt' | 'response']: Omit<Extract<ActionOutput, { kind: K }>, 'sha256' | 'part'>;
}['prompt' | 'response'];

export type ParsedActionOutput =
  | {
      ok: true;
      output: ActionOutput;
      /** The comment body without the marker (and the blank line before it). */
      visible: string;
      /**
       * For a prompt or a response: the visible body's sha256 no longer matches the marker's, so someone
       * changed the text after the Action posted it. Always false for an approver's decision or a failure,
       * whose result lives in the marker alone.
       */
      edited: boolean;
    }
  | { ok: false; reason: string };

export type ActionOutputErrorCode = 'too_long' | 'marker_in_body' | 'sha256_mismatch' | 'invalid_output';

/** Why an output comment could not be written; `code` tells callers the cases apart. */
export class ActionOutputError extends Error {
  readonly code: ActionOutputErrorCode;

  constructor(code: ActionOutputErrorCode, message: string) {
    super(message);
    this.name = 'ActionOutputError';
    this.code = code;
  }
}

/** The sha256 of the text's UTF-8 bytes, in lowercase hex. A lone surrogate hashes like U+FFFD, as GitHub stores it. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The body of an output comment: the visible text, a blank line, and the hidden marker last:
 *
 *     <visible body>
 *
 *     <!-- flowgate:output {"kind":"response","run":"...",...} -->
 *
 * The JSON is one line with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`, so no text in it can end
 * the HTML comment early. For a prompt or a response, `sha256` is the sha256 of `visibleBody` exactly as given
 * (see `sha256Hex`); it is computed here when the draft leaves it out, and a given one must match.
 *
 * Throws an `ActionOutputError`: `marker_in_body` when the visible text itself holds an output marker opening
 * (pass it through `defuseOutputMarkers` first), `sha256_mismatch`, `invalid_output` when the output would not
 * be read back, and `too_long` when the body would exceed GitHub's 65,536 characters (split the text first with
 * `splitForComments`, or use `formatActionOutputParts`).
 */
export function formatActionOutput(output: ActionOutputDraft, visibleBody: string): string {
  const opening = new RegExp(OPENING.source, 'i').exec(visibleBody);
  if (opening !== null) {
    throw new ActionOutputError(
      'marker_in_body',
      `the visible body contains an output marker opening (${JSON.stringify(opening[0])}) at character ${opening.index}; ` +
        'a comment may hold only one marker: pass the text through defuseOutputMarkers first',
    );
  }
  const complete = withSha(output, visibleBody);
  const parsed = ActionOutputSchema.safeParse(complete);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${formatIssuePath(issue.path)}: ${issue.message}`;
    throw new ActionOutputError(
      'invalid_output',
      `refusing to write an output that could not be read back${where}`,
    );
  }
  const problem = checkActionOutput(parsed.data);
  if (problem !== undefined) {
    throw new ActionOutputError(
      'invalid_output',
      `refusing to write an output that could not be read back: ${problem}`,
    );
  }
  const body = `${visibleBody}${SEPARATOR}${markerText(parsed.data)}`;
  if (body.length > MAX_COMMENT_CHARS) {
    throw new ActionOutputError(
      'too_long',
      `the output comment would take ${count(body.length)} characters and GitHub keeps at most ${count(MAX_COMMENT_CHARS)} ` +
        `(the visible body takes ${count(visibleBody.length)}): split it with splitForComments and post one comment per part`,
    );
  }
  return body;
}

/**
 * The comments that carry a prompt or a response of any length: the text split by `splitForComments`, each part
 * formatted with its own sha256 and, when there is more than one, `part: { index, count }`. Joining the parts'
 * visible bodies in order gives back `text`.
 */
export function formatActionOutputParts(
  output: TextOutputFields,
  text: string,
  maxChars: number = DEFAULT_PART_CHARS,
): string[] {
  const parts = splitForComments(text, maxChars);
  if (parts.length === 1) return [formatActionOutput(output, text)];
  return parts.map((part, i) =>
    formatActionOutput({ ...output, part: { index: i + 1, count: parts.length } }, part),
  );
}

/**
 * Reads the output marker of a comment. Undefined when the comment has none (it is not an output comment);
 * otherwise either the output, the visible body and whether that body was edited since it was posted, or a
 * refusal with the reason: more than one marker, a damaged marker, JSON that does not parse, or an output that
 * does not validate. The visible body is everything but the marker and the blank line `formatActionOutput`
 * puts before it.
 */
export function parseActionOutput(body: string): ParsedActionOutput | undefined {
  const openings = [...body.matchAll(OPENING)];
  const first = openings[0];
  if (first === undefined) return undefined;
  if (openings.length > 1) {
    return refuse(`the comment has ${openings.length} output markers where there must be one`);
  }
  const marker = MARKER.exec(body.slice(first.index));
  if (marker === null) {
    return refuse(
      `the output marker is damaged: it must read "<!-- ${OUTPUT_MARKER} {...} -->" with the JSON on one line and no ">" in it`,
    );
  }
  const [text, json = ''] = marker;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return refuse(
      `the output marker's JSON cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = ActionOutputSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${formatIssuePath(issue.path)}: ${issue.message}`;
    return refuse(`the output marker does not hold a valid output${where}`);
  }
  const problem = checkActionOutput(parsed.data);
  if (problem !== undefined) return refuse(`the output marker does not hold a valid output: ${problem}`);

  const before = body.slice(0, first.index);
  const after = body.slice(first.index + text.length);
  const visible = (before.endsWith(SEPARATOR) ? before.slice(0, -SEPARATOR.length) : before) + after;
  const output = parsed.data;
  const edited = 'sha256' in output && sha256Hex(visible) !== output.sha256;
  return { ok: true, output, visible, edited };
}

/**
 * The text with every output marker opening broken by a zero-width space (`flowgate\u200b:output`), so a
 * response that quotes an output comment (a review of flowgate itself, say) can be posted: it still reads the
 * same, but no longer counts as a marker. Only the openings change.
 */
export function defuseOutputMarkers(text: string): string {
  return text.replace(/(<!--\s*flowgate)(:output\b)/gi, '$1\u200b$2');
}

/**
 * Splits a long text into parts of at most `maxChars` characters that join back to exactly `text`. Each part
 * ends at the last good boundary that fits, preferring, in order: the start of a paragraph (a line after a blank
 * line), the start of a line, both outside fenced code blocks; then the same inside a code block (only when a
 * block is longer than a part); then after a space or tab; then anywhere, though never between the two halves
 * of a surrogate pair or of a CRLF (unless `maxChars` is 1). A text that fits is returned whole, even when empty.
 */
export function splitForComments(text: string, maxChars: number = DEFAULT_PART_CHARS): string[] {
  if (!Number.isSafeInteger(maxChars) || maxChars < 1) {
    throw new RangeError(`maxChars must be a whole number of at least 1, not ${maxChars}`);
  }
  if (text.length <= maxChars) return [text];
  const tiers = lineCuts(text);
  const parts: string[] = [];
  let start = 0;
  while (text.length - start > maxChars) {
    const limit = start + maxChars;
    const cut =
      tiers.reduce<number | undefined>((found, tier) => found ?? lastCutIn(tier, start, limit), undefined) ??
      blankCut(text, start, limit) ??
      hardCut(text, start, limit);
    parts.push(text.slice(start, cut));
    start = cut;
  }
  parts.push(text.slice(start));
  return parts;
}

function withSha(output: ActionOutputDraft, visibleBody: string): ActionOutputDraft {
  if (output.kind !== 'prompt' && output.kind !== 'response') return output;
  const sha256 = sha256Hex(visibleBody);
  if (output.sha256 !== undefined && output.sha256 !== sha256) {
    throw new ActionOutputError(
      'sha256_mismatch',
      `the output's sha256 (${output.sha256}) is not the sha256 of the visible body (${sha256}): leave it out and it is computed`,
    );
  }
  return { ...output, sha256 };
}

function markerText(output: ActionOutput): string {
  const json = JSON.stringify(output).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  return `<!-- ${OUTPUT_MARKER} ${json} -->`;
}

function refuse(reason: string): ParsedActionOutput {
  return { ok: false, reason };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const BLANK = /^[ \t\r]*$/;

/**
 * The positions where a line starts (never 0), sorted, in four tiers of preference: paragraph starts outside code
 * blocks, other line starts outside code blocks, paragraph starts inside, line starts inside. A fence opens with
 * three or more backticks or tildes (indented at most three spaces; a backtick fence's info has no backtick) and
 * closes with at least as many of the same character and nothing else; an unclosed one runs to the end.
 */
function lineCuts(text: string): number[][] {
  const tiers: number[][] = [[], [], [], []];
  let fence: { char: string; length: number } | undefined;
  let previousBlank = false;
  let position = 0;
  for (const line of text.split('\n')) {
    if (position > 0) tiers[(fence === undefined ? 0 : 2) + (previousBlank ? 0 : 1)]?.push(position);
    const match = FENCE.exec(line.replace(/\r$/, ''));
    if (match !== null) {
      const [, run = '', rest = ''] = match;
      const char = run.charAt(0);
      if (fence === undefined) {
        if (char === '~' || !rest.includes('`')) fence = { char, length: run.length };
      } else if (char === fence.char && run.length >= fence.length && rest.trim() === '') {
        fence = undefined;
      }
    }
    previousBlank = BLANK.test(line);
    position += line.length + 1;
  }
  return tiers;
}

/** The largest cut in the sorted list with start < cut <= limit, or undefined. */
function lastCutIn(cuts: readonly number[], start: number, limit: number): number | undefined {
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((cuts[middle] as number) <= limit) low = middle + 1;
    else high = middle;
  }
  const cut = cuts[low - 1];
  return cut !== undefined && cut > start ? cut : undefined;
}

/** Just after the last space or tab that lets the part fit, or undefined. */
function blankCut(text: string, start: number, limit: number): number | undefined {
  for (let i = limit; i > start; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x20 || c === 0x09) return i;
  }
  return undefined;
}

/** At `limit`, moved back one character rather than split a surrogate pair or a CRLF, if the part stays non-empty. */
function hardCut(text: string, start: number, limit: number): number {
  const before = text.charCodeAt(limit - 1);
  const after = text.charCodeAt(limit);
  const pair = before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
  const crlf = before === 0x0d && after === 0x0a;
  return (pair || crlf) && limit - 1 > start ? limit - 1 : limit;
}
