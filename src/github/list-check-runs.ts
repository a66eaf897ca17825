import type { Octo, RepoRef } from './types.ts';

/** The check runs named `name` on the commit `ref`, every one of them (not only the latest). Cost: 1 GET. */
export async function listCheckRuns(octokit: Octo, repo: RepoRef, ref: string, name: string) {
  const { data } = await octokit.rest.checks.listForRef({
    owner: repo.owner,
    repo: repo.repo,
    ref,
    check_name: name,
    filter: 'all',
    per_page: 100,
  });
  return data.check_runs;
}
