import { toIssueComment } from './to-issue-comment.ts';
import type { IssueComment, IssueRef, Octo } from './types.ts';

/**
 * Every comment on an issue or pull request conversation, oldest first.
 * Cost: ceil(comments / 100) GETs, at least 1.
 */
export async function listIssueComments(octokit: Octo, issue: IssueRef): Promise<IssueComment[]> {
  return (await listIssueCommentsSince(octokit, issue)).comments;
}

/**
 * The comments created or edited at or after `since` (all of them without it), oldest first, and GitHub's clock
 * when it answered (`listedAt`, from the response's `date` header; the local clock when there is none), which is
 * the `since` of the next listing that wants what happened after this one.
 * Cost: ceil(comments / 100) GETs, at least 1.
 */
export async function listIssueCommentsSince(
  octokit: Octo,
  issue: IssueRef,
  since?: string,
): Promise<{ comments: IssueComment[]; listedAt: string }> {
  const raw: Parameters<typeof toIssueComment>[0][] = [];
  let listedAt: string | undefined;
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    per_page: 100,
    ...(since === undefined ? {} : { since }),
  })) {
    if (listedAt === undefined) {
      const date = Date.parse(String(page.headers.date ?? ''));
      listedAt = new Date(Number.isNaN(date) ? Date.now() : date).toISOString();
    }
    raw.push(...page.data);
  }
  // GitHub answers in creation order already; comment ids grow with time, so sorting makes it a guarantee.
  return {
    comments: raw.map(toIssueComment).sort((a, b) => a.id - b.id),
    listedAt: listedAt ?? new Date().toISOString(),
  };
}
