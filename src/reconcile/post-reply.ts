import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import { upsertMarkedComment } from '../github/upsert-marked-comment.ts';

/** The hidden marker of the bot's reply under `key` (a comment id, a comment id and line, a run notice...). */
export function replyMarker(key: string): string {
  return `<!-- flowgate:reply ${key} -->`;
}

/**
 * Posts the bot's reply once: a reply carries a marker naming what it answers, and a reply that already exists
 * is left as it is, so a redelivered webhook or a retried request never answers twice.
 */
export async function postReply(
  octokit: Octo,
  issue: IssueRef,
  comments: IssueComment[],
  key: string,
  text: string,
): Promise<void> {
  const marker = replyMarker(key);
  if (comments.some((c) => c.isBot && c.body.includes(marker))) return;
  const { comment } = await upsertMarkedComment(octokit, issue, marker, `${text}\n\n${marker}`, comments);
  comments.push(comment);
}
