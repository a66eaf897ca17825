import type { IssueInfo } from './get-issue.ts';
import type { Octo, RepoRef } from './types.ts';

/** An open issue or pull request as the issues list gives it, with its GraphQL node id and its author's kind. */
export interface ListedIssue extends IssueInfo {
  nodeId: string;
  authorIsBot: boolean;
  /** How many comments it had when listed (GitHub's `comments`); undefined when the answer did not say. */
  comments?: number;
}

/**
 * Every open issue and pull request of a repository (pull requests are issues in this API), lowest number first.
 * Cost: ceil(open items / 100) GETs, at least 1.
 */
export async function listOpenIssues(octokit: Octo, repo: RepoRef): Promise<ListedIssue[]> {
  const data = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.repo,
    state: 'open',
    sort: 'created',
    direction: 'asc',
    per_page: 100,
  });
  return data
    .map((d) => ({
      number: d.number,
      nodeId: d.node_id,
      title: d.title,
      body: d.body ?? '',
      author: d.user?.login ?? 'ghost',
      authorIsBot: d.user?.type === 'Bot',
      labels: d.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
      state: d.state === 'open' ? ('open' as const) : ('closed' as const),
      url: d.html_url,
      isPull: d.pull_request !== undefined && d.pull_request !== null,
      createdAt: d.created_at,
      updatedAt: d.updated_at,
      ...(typeof d.comments === 'number' ? { comments: d.comments } : {}),
    }))
    .sort((a, b) => a.number - b.number);
}
