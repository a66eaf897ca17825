import { assertCommentLength } from './assert-comment-length.ts';
import { type PullSummary, toPullSummary } from './pull-summary.ts';
import type { Octo, RepoRef } from './types.ts';

export interface NewPull {
  /** The branch with the changes, in the same repository. */
  head: string;
  /** The branch the changes should go into. */
  base: string;
  title: string;
  body: string;
  draft?: boolean;
}

/**
 * Opens a pull request. Sent without Octokit's retries: GitHub can open it and still answer 5xx, and a blind
 * retry would then fail with 422 ("A pull request already exists"); `upsertPull` handles that case instead.
 * Cost: 1 POST.
 */
export async function createPull(octokit: Octo, repo: RepoRef, pull: NewPull): Promise<PullSummary> {
  assertCommentLength(pull.body);
  const { data } = await octokit.rest.pulls.create({
    owner: repo.owner,
    repo: repo.repo,
    head: pull.head,
    base: pull.base,
    title: pull.title,
    body: pull.body,
    draft: pull.draft ?? false,
    request: { retries: 0 },
  });
  return toPullSummary(data);
}
