import { listPullFiles } from '../github/list-pull-files.ts';
import type { Octo } from '../github/types.ts';
import type { CheckRequest } from './check-workflow-files.ts';

export interface ForkPullPayload {
  pull_request: {
    number: number;
    head: { sha: string; repo: { full_name: string } | null };
    base: { repo: { full_name: string; name: string; owner: { login: string } } };
  };
}

/**
 * The check request of a pull request from a fork (a push to a fork sends no webhook to this repository; a push to
 * a branch here already asked for its own check): its head commit, and the files it changes.
 * Cost: ceil(changed files / 100) GETs, for a pull request from a fork only.
 */
export async function forkPullCheckRequest(
  octokit: Octo,
  payload: ForkPullPayload,
): Promise<CheckRequest | undefined> {
  const pull = payload.pull_request;
  const base = pull.base.repo;
  if (pull.head.repo !== null && pull.head.repo.full_name === base.full_name) return undefined;
  const repo = { owner: base.owner.login, repo: base.name };
  const files = await listPullFiles(octokit, { ...repo, number: pull.number });
  return {
    repo,
    headSha: pull.head.sha,
    changed: files.flatMap((f) => [f.path, ...(f.previousPath === undefined ? [] : [f.previousPath])]),
  };
}
