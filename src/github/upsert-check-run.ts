import { listCheckRuns } from './list-check-runs.ts';
import type { Octo, RepoRef } from './types.ts';

export type CheckConclusion =
  | 'action_required'
  | 'cancelled'
  | 'failure'
  | 'neutral'
  | 'success'
  | 'skipped'
  | 'timed_out';

export interface CheckRunParams {
  name: string;
  headSha: string;
  status: 'in_progress' | 'completed';
  /** Required when `status` is 'completed'. */
  conclusion?: CheckConclusion;
  title: string;
  /** Markdown; cut to 65,535 characters, GitHub's limit. */
  summary: string;
  /** flowgate's id for the check run (the run id), so that it finds its own run again. */
  externalId: string;
}

const MAX_SUMMARY = 65_535;
const CUT_NOTE = '\n\n… (cut to fit GitHub’s limit)';

/**
 * Creates or updates the check run `name` on `headSha`: the run with the same `external_id` is updated,
 * else one with the same name, else a new one is created.
 * Cost: 1 GET, then 1 PATCH or 1 POST.
 */
export async function upsertCheckRun(
  octokit: Octo,
  repo: RepoRef,
  p: CheckRunParams,
): Promise<{ id: number; created: boolean }> {
  if (p.status === 'completed' && p.conclusion === undefined) {
    throw new Error(`check run "${p.name}": a completed check run needs a conclusion`);
  }
  const runs = await listCheckRuns(octokit, repo, p.headSha, p.name);
  const existing =
    runs.find((run) => run.external_id === p.externalId) ?? runs.find((run) => run.name === p.name);
  const fields = {
    owner: repo.owner,
    repo: repo.repo,
    name: p.name,
    external_id: p.externalId,
    status: p.status,
    ...(p.status === 'completed' ? { conclusion: p.conclusion } : {}),
    output: { title: p.title, summary: cut(p.summary) },
  };
  if (existing) {
    await octokit.rest.checks.update({ ...fields, check_run_id: existing.id });
    return { id: existing.id, created: false };
  }
  const created = await octokit.rest.checks.create({ ...fields, head_sha: p.headSha });
  return { id: created.data.id, created: true };
}

function cut(summary: string): string {
  return summary.length <= MAX_SUMMARY ? summary : summary.slice(0, MAX_SUMMARY - CUT_NOTE.length) + CUT_NOTE;
}
