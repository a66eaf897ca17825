import type { IssueRef, Octo } from './types.ts';

/** Assigns people to an issue or pull request (GitHub ignores those who cannot be assigned). Cost: 1 POST. */
export async function addAssignees(octokit: Octo, issue: IssueRef, logins: string[]): Promise<void> {
  if (logins.length === 0) return;
  await octokit.rest.issues.addAssignees({
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    assignees: logins,
  });
}
