/**
 * Text that people (and models) put into a run's state: a `/reject` reason, an `/approve` note, `/retry` feedback,
 * a review body, an AI approver's feedback, an error. The state lives in one comment of at most 65,536
 * characters, so every such text is kept once in full up to `TEXT_KEPT` characters (in the rejection, the
 * approval or the stage's feedback), and everywhere it is repeated (the history, the pause reason, the error) only
 * as an excerpt of `EXCERPT_KEPT`. A text that was cut keeps its head and says where the whole of it is.
 */

/** The most characters of one person's text the state keeps where it is stored (reason, note, feedback, error). */
export const TEXT_KEPT = 2_000;
/** The most characters of such a text where the state repeats it (history entries, pause reasons). */
export const EXCERPT_KEPT = 300;

/**
 * The text when it has at most `max` characters; otherwise its first characters (never half a surrogate pair)
 * followed by a note that it was cut, how long it was, and `source` when given (`[comment](#issuecomment-1)`).
 * The result never has more than `max` characters, unless `max` is too small to hold the note itself.
 */
export function boundText(text: string, max: number, source?: string): string {
  if (text.length <= max) return text;
  const where = source === undefined ? '' : `; the whole text is in ${source}`;
  const note = ` … [cut: ${text.length.toLocaleString('en-US')} characters in all${where}]`;
  let keep = Math.max(0, max - note.length);
  const last = text.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep--;
  return `${text.slice(0, keep).trimEnd()}${note}`;
}

/**
 * Where the text of an event can be read in full, for `boundText`: a link to the comment on this issue or pull
 * request page for `comment:<id>`, the review's id for `review:<id>`, undefined for other events.
 */
export function eventSource(eventId: string): string | undefined {
  const comment = /^comment:(\d+)/.exec(eventId);
  if (comment !== null) return `[comment ${comment[1]}](#issuecomment-${comment[1]})`;
  const review = /^review:(\d+)/.exec(eventId);
  if (review !== null) return `[review ${review[1]}](#pullrequestreview-${review[1]})`;
  return undefined;
}
