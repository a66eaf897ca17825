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
