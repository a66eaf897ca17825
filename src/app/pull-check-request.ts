import { listPullFiles } from '../github/list-pull-files.ts';
import type { Octo } from '../github/types.ts';
import { type CheckRequest, changesWorkflowFiles } from './check-workflow-files.ts';

export interface PullPayload {
  pull_request: {
    number: number;
    head: { sha: string; repo: { full_name: string } | null };
  };
  repository: { full_name: string; name: string; owner: { login: string } };
}

/**
 * The check request of a pull request event. A required status check must report on every pull request, so each
 * one gets the check: one that changes nothing under `.github/flowgate/` a passing check that says so, one from a
 * fork that does the whole check (a push to a fork sends no webhook here). A pull request within the repository
 * that changes the files needs nothing more: the push of its head asked for the check already.
 * Cost: ceil(changed files / 100) GETs.
 */
export async function pullCheckRequest(
  octokit: Octo,
  payload: PullPayload,
): Promise<CheckRequest | undefined> {
  const pull = payload.pull_request;
  // The webhook's repository is the pull request's base.
  const base = payload.repository;
  const repo = { owner: base.owner.login, repo: base.name };
  const files = await listPullFiles(octokit, { ...repo, number: pull.number });
  const changed = files.flatMap((f) => [f.path, ...(f.previousPath === undefined ? [] : [f.previousPath])]);
  const fork = pull.head.repo === null || pull.head.repo.full_name !== base.full_name;
  if (!fork && changesWorkflowFiles(changed)) return undefined;
  return { repo, headSha: pull.head.sha, changed, reportUnchanged: true };
}
