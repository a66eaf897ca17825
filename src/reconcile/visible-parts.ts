import { parseActionOutput } from '../core/action-output.ts';
import type { IssueComment } from '../github/types.ts';

/**
 * The visible texts of the output comments with these ids, in order; a comment that is gone, or that is no
 * readable output comment, is undefined. Pure: `comments` are the subject's comments.
 */
export function visibleParts(
  comments: readonly IssueComment[],
  ids: readonly number[],
): (string | undefined)[] {
  return ids.map((id) => {
    const found = comments.find((c) => c.id === id);
    const parsed = found === undefined ? undefined : parseActionOutput(found.body);
    return parsed?.ok === true ? parsed.visible : undefined;
  });
}
