import { toIssueComment } from './to-issue-comment.ts';
import type { IssueComment, IssueRef, Octo } from './types.ts';

/**
 * Every comment on an issue or pull request conversation, oldest first.
 * Cost: ceil(comments / 100) GETs, at least 1.
 */
export async function listIssueComments(octokit: Octo, issue: IssueRef): Promise<IssueComment[]> {
  const raw = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    per_page: 100,
  });
  // GitHub answers in creation order already; comment ids grow with time, so sorting makes it a guarantee.
  return raw.map(toIssueComment).sort((a, b) => a.id - b.id);
}
