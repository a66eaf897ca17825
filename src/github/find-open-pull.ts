import { type PullSummary, toPullSummary } from './pull-summary.ts';
import type { Octo, RepoRef } from './types.ts';

/**
 * The open pull request whose head is `branch` of the repository itself (`head=owner:branch`), or undefined.
 * When several are open from that branch (against different bases), the oldest.
 * Cost: 1 GET.
 */
export async function findOpenPull(
  octokit: Octo,
  repo: RepoRef,
  branch: string,
): Promise<PullSummary | undefined> {
  const { data } = await octokit.rest.pulls.list({
    owner: repo.owner,
    repo: repo.repo,
    head: `${repo.owner}:${branch}`,
    state: 'open',
    per_page: 100,
  });
  const oldest = [...data].sort((a, b) => a.number - b.number)[0];
  return oldest === undefined ? undefined : toPullSummary(oldest);
}
