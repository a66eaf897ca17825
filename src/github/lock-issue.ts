import type { IssueRef, Octo } from './types.ts';

/** Locks the conversation of an issue or pull request. Cost: 1 PUT. */
export async function lockIssue(octokit: Octo, issue: IssueRef): Promise<void> {
  await octokit.rest.issues.lock({
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    lock_reason: 'resolved',
  });
}
