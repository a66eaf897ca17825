import type { IssueRef, Octo } from './types.ts';

/** Closes (with a reason) or reopens an issue or pull request. Cost: 1 PATCH. */
export async function setIssueState(
  octokit: Octo,
  issue: IssueRef,
  state: 'open' | 'closed',
  reason?: 'completed' | 'not_planned',
): Promise<void> {
  await octokit.rest.issues.update({
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    state,
    ...(state === 'closed' && reason !== undefined ? { state_reason: reason } : {}),
  });
}
