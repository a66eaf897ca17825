import { assertCommentLength } from './assert-comment-length.ts';
import { toIssueComment } from './to-issue-comment.ts';
import type { IssueComment, Octo, RepoRef } from './types.ts';

/**
 * Replaces an issue comment's body. Throws before sending a body over 65,536 characters.
 * Cost: 1 PATCH.
 */
export async function updateComment(
  octokit: Octo,
  repo: RepoRef,
  id: number,
  body: string,
): Promise<IssueComment> {
  assertCommentLength(body);
  const { data } = await octokit.rest.issues.updateComment({
    owner: repo.owner,
    repo: repo.repo,
    comment_id: id,
    body,
  });
  return toIssueComment(data);
}

/**
 * As `updateComment`, and the ETag GitHub gave the new version, for a later conditional read (`getCommentIfChanged`).
 * Cost: 1 PATCH.
 */
export async function updateCommentTagged(
  octokit: Octo,
  repo: RepoRef,
  id: number,
  body: string,
): Promise<{ comment: IssueComment; etag: string | undefined }> {
  assertCommentLength(body);
  const { data, headers } = await octokit.rest.issues.updateComment({
    owner: repo.owner,
    repo: repo.repo,
    comment_id: id,
    body,
  });
  return { comment: toIssueComment(data), etag: headers.etag };
}
