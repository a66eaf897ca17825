import { listCheckRuns } from './list-check-runs.ts';
import type { Octo, RepoRef } from './types.ts';
import type { CheckConclusion } from './upsert-check-run.ts';

/**
 * Completes the check runs named `name` with `externalId` on `headSha` that are still open, with `conclusion`:
 * a check run flowgate left on a commit the run has moved past must not stay `in_progress` for ever (a branch
 * protection rule that requires it would block that commit). Cost: 1 GET, then 1 PATCH per open check run.
 */
export async function concludeCheckRuns(
  octokit: Octo,
  repo: RepoRef,
  p: {
    name: string;
    headSha: string;
    externalId: string;
    conclusion: CheckConclusion;
    title: string;
    summary: string;
  },
): Promise<number> {
  const runs = await listCheckRuns(octokit, repo, p.headSha, p.name);
  const open = runs.filter((run) => run.external_id === p.externalId && run.status !== 'completed');
  for (const run of open) {
    await octokit.rest.checks.update({
      owner: repo.owner,
      repo: repo.repo,
      check_run_id: run.id,
      status: 'completed',
      conclusion: p.conclusion,
      output: { title: p.title, summary: p.summary },
    });
  }
  return open.length;
}
