import type { Octo, RepoRef } from './types.ts';
import type { CheckConclusion } from './upsert-check-run.ts';

/** GitHub takes at most 50 annotations in one create or update of a check run. */
const PER_REQUEST = 50;

export interface FinishedCheck {
  name: string;
  headSha: string;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  annotations: readonly object[];
}

/**
 * Creates a finished check run on `headSha` with its annotations, 50 a request (GitHub adds each update's
 * annotations to the check run's; it shows the newest check run of a name on a commit). A new one each time, so
 * that a check run done again never carries the annotations of the one before.
 * Cost: 1 POST, then 1 PATCH per further 50 annotations.
 */
export async function publishCheckRun(octokit: Octo, repo: RepoRef, check: FinishedCheck): Promise<number> {
  const output = (annotations: readonly object[]) => ({
    title: check.title,
    summary: check.summary,
    annotations: annotations as never,
  });
  const batches: (readonly object[])[] = [];
  for (let i = 0; i < check.annotations.length; i += PER_REQUEST)
    batches.push(check.annotations.slice(i, i + PER_REQUEST));
  const [first = [], ...rest] = batches;
  const { data } = await octokit.rest.checks.create({
    owner: repo.owner,
    repo: repo.repo,
    name: check.name,
    head_sha: check.headSha,
    status: 'completed',
    conclusion: check.conclusion,
    output: output(first),
  });
  for (const batch of rest) {
    await octokit.rest.checks.update({
      owner: repo.owner,
      repo: repo.repo,
      check_run_id: data.id,
      output: output(batch),
    });
  }
  return data.id;
}
