/** GitHub refuses (422) an issue or comment body longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536;

/** Throws before any request when `body` is longer than GitHub accepts for a comment. Pure. */
export function assertCommentLength(body: string): void {
  if (body.length > MAX_COMMENT_LENGTH) {
    throw new Error(
      `comment body is ${body.length} characters; GitHub accepts at most ${MAX_COMMENT_LENGTH}. Trim it before posting.`,
    );
  }
}
