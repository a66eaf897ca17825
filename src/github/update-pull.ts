import { assertCommentLength } from './assert-comment-length.ts';
import { type PullSummary, toPullSummary } from './pull-summary.ts';
import type { Octo, RepoRef } from './types.ts';

/**
 * Rewrites a pull request's title and description.
 * Cost: 1 PATCH.
 */
export async function updatePull(
  octokit: Octo,
  repo: RepoRef,
  number: number,
  change: { title: string; body: string },
): Promise<PullSummary> {
  assertCommentLength(change.body);
  const { data } = await octokit.rest.pulls.update({
    owner: repo.owner,
    repo: repo.repo,
    pull_number: number,
    title: change.title,
    body: change.body,
  });
  return toPullSummary(data);
}
