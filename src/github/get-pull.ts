import type { IssueRef, Octo } from './types.ts';

export interface PullInfo {
  headSha: string;
  /** The login of the pull request's author (`ghost` when the account was deleted). */
  author: string;
  draft: boolean;
  baseRef: string;
  headRef: string;
  state: 'open' | 'closed';
  /** A closed pull request may have been merged. */
  merged: boolean;
  /** The pull request's page (`html_url`). */
  url: string;
}

/**
 * What flowgate needs to know about a pull request: its head commit, author, draft flag and branches.
 * Cost: 1 GET.
 */
export async function getPull(octokit: Octo, pull: IssueRef): Promise<PullInfo> {
  const { data } = await octokit.rest.pulls.get({
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
  });
  return {
    headSha: data.head.sha,
    author: data.user.login,
    draft: data.draft ?? false,
    baseRef: data.base.ref,
    headRef: data.head.ref,
    state: data.state === 'open' ? 'open' : 'closed',
    merged: data.merged,
    url: data.html_url,
  };
}
