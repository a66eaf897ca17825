import type { IssueRef, Octo } from './types.ts';

/** Replaces an issue's (or pull request's) description. Cost: 1 PATCH (content-creating). */
export async function updateIssueBody(octokit: Octo, issue: IssueRef, body: string): Promise<void> {
  await octokit.rest.issues.update({
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    body,
  });
}
