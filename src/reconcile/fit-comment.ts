/** The longest comment text a system action posts: GitHub takes 65,536 characters, the reply marker needs a few. */
export const MAX_ACTION_COMMENT_CHARS = 65_000;

const CUT = '\n\n… (cut to fit GitHub’s size limit)';

/**
 * A `comment:` action's rendered text, cut to fit one GitHub comment (a quoted output may be longer than a
 * comment can hold), saying that it was; never splitting a surrogate pair. Pure.
 */
export function fitComment(text: string, max = MAX_ACTION_COMMENT_CHARS): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - CUT.length);
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}${CUT}`;
}
