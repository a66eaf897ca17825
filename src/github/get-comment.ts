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
 * With `etag` empty, a plain read. A changed comment comes with its new ETag. Cost: 1 GET (free when unchanged).
 */
export async function getCommentIfChanged(
  octokit: Octo,
  repo: RepoRef,
  id: number,
  etag: string,
): Promise<{ changed: true; comment: IssueComment; etag?: string } | { changed: false } | undefined> {
  try {
    const { data, headers } = await octokit.rest.issues.getComment({
      owner: repo.owner,
      repo: repo.repo,
      comment_id: id,
      // Without a version known, a plain read (its ETag is answered all the same).
      ...(etag === '' ? {} : { headers: { 'if-none-match': etag } }),
    });
    return {
      changed: true,
      comment: toIssueComment(data),
      ...(typeof headers.etag === 'string' ? { etag: headers.etag } : {}),
    };
  } catch (error) {
    const status = requestStatus(error);
    if (status === 304) return { changed: false };
    if (status === 404) return undefined;
    throw error;
  }
}
