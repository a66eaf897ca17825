import { assertCommentLength } from './assert-comment-length.ts';
import { listIssueComments } from './list-issue-comments.ts';
import { requestStatus } from './request-status.ts';
import { toIssueComment } from './to-issue-comment.ts';
import type { IssueComment, IssueRef, Octo } from './types.ts';
import { updateComment } from './update-comment.ts';

/**
 * Makes sure exactly one comment carries `marker` and that it reads `body`: the oldest comment whose body
 * contains the marker is edited (nothing is sent when it already reads `body`), otherwise one is created.
 *
 * A create is sent without Octokit's retries: GitHub can create the comment and still answer 502, and a
 * blind retry would post it twice. After a 5xx or a network error the comments are listed again and a comment
 * carrying the marker is adopted; only when none is there is the create tried once more.
 *
 * `body` must contain `marker` (or the next upsert could not find the comment) and be at most 65,536
 * characters; both are checked before any request.
 *
 * Cost: the listing (ceil(comments / 100) GETs) unless `known` is given, then 1 PATCH, or 0 when unchanged,
 * or 1 POST. After an uncertain create failure: 1 more listing, then 1 PATCH or 1 more POST at most.
 */
export async function upsertMarkedComment(
  octokit: Octo,
  issue: IssueRef,
  marker: string,
  body: string,
  known?: IssueComment[],
): Promise<{ comment: IssueComment; created: boolean }> {
  if (marker === '') throw new Error('upsertMarkedComment needs a non-empty marker');
  if (!body.includes(marker)) {
    throw new Error(`the comment body does not contain its marker ${JSON.stringify(marker)}`);
  }
  assertCommentLength(body);

  const existing = oldestCarrying(known ?? (await listIssueComments(octokit, issue)), marker);
  if (existing) return { comment: await rewrite(octokit, issue, existing, body), created: false };

  try {
    return { comment: await create(octokit, issue, body), created: true };
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
  }
  // GitHub may have created the comment before failing to answer: adopt it rather than post a second one.
  const adopted = oldestCarrying(await listIssueComments(octokit, issue), marker);
  if (adopted) return { comment: await rewrite(octokit, issue, adopted, body), created: true };
  return { comment: await create(octokit, issue, body), created: true };
}

function oldestCarrying(comments: IssueComment[], marker: string): IssueComment | undefined {
  let oldest: IssueComment | undefined;
  for (const comment of comments) {
    if (comment.body.includes(marker) && (oldest === undefined || comment.id < oldest.id)) oldest = comment;
  }
  return oldest;
}

async function rewrite(octokit: Octo, issue: IssueRef, comment: IssueComment, body: string) {
  return comment.body === body ? comment : updateComment(octokit, issue, comment.id, body);
}

async function create(octokit: Octo, issue: IssueRef, body: string): Promise<IssueComment> {
  const { data } = await octokit.rest.issues.createComment({
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    body,
    request: { retries: 0 },
  });
  return toIssueComment(data);
}

/** A server error or no answer at all: the comment may or may not exist now. */
function outcomeUnknown(error: unknown): boolean {
  const status = requestStatus(error);
  return status === undefined || status >= 500;
}
