import { requestStatus } from './request-status.ts';
import { toIssueComment } from './to-issue-comment.ts';
import type { IssueComment, Octo, RepoRef } from './types.ts';

/**
 * One issue comment by id, or undefined when it no longer exists (deleted comments answer 404).
 * Cost: 1 GET.
 */
export async function getComment(
  octokit: Octo,
  repo: RepoRef,
  id: number,
): Promise<IssueComment | undefined> {
  try {
    const { data } = await octokit.rest.issues.getComment({
      owner: repo.owner,
      repo: repo.repo,
      comment_id: id,
    });
    return toIssueComment(data);
  } catch (error) {
    if (requestStatus(error) === 404) return undefined;
    throw error;
  }
}

/**
 * One issue comment by id, asked conditionally: with the ETag of the version the caller knows, GitHub answers 304
 * when it is unchanged (a 304 does not count against the rate limit). Undefined when the comment is gone (404).
 * Cost: 1 GET (free when unchanged).
 */
export async function getCommentIfChanged(
  octokit: Octo,
  repo: RepoRef,
  id: number,
  etag: string,
): Promise<{ changed: true; comment: IssueComment } | { changed: false } | undefined> {
  try {
    const { data } = await octokit.rest.issues.getComment({
      owner: repo.owner,
      repo: repo.repo,
      comment_id: id,
      headers: { 'if-none-match': etag },
    });
    return { changed: true, comment: toIssueComment(data) };
  } catch (error) {
    const status = requestStatus(error);
    if (status === 304) return { changed: false };
    if (status === 404) return undefined;
    throw error;
  }
}
