import type { IssueRef, Octo } from './types.ts';

export interface IssueInfo {
  number: number;
  title: string;
  /** Empty when the issue has no description. */
  body: string;
  /** `ghost` when the account was deleted. */
  author: string;
  labels: string[];
  state: 'open' | 'closed';
  /** The issue's page (`html_url`); a pull request's page for a pull request. */
  url: string;
  isPull: boolean;
  createdAt: string;
  updatedAt: string;
  /** Its GraphQL node id, and its labels' (a status edit and label moves then go in one request). */
  nodeId?: string;
  labelIds?: { name: string; nodeId: string }[];
}

/**
 * An issue or a pull request through the issues API (pull requests are issues there too).
 * Cost: 1 GET.
 */
export async function getIssue(octokit: Octo, issue: IssueRef): Promise<IssueInfo> {
  const { data } = await octokit.rest.issues.get({
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
  });
  const labelIds = data.labels.flatMap((l) =>
    typeof l === 'string' || l.name === undefined || typeof l.node_id !== 'string'
      ? []
      : [{ name: l.name, nodeId: l.node_id }],
  );
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? '',
    author: data.user?.login ?? 'ghost',
    labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
    state: data.state === 'open' ? 'open' : 'closed',
    url: data.html_url,
    isPull: data.pull_request !== undefined && data.pull_request !== null,
    createdAt: data.created_at,
    updatedAt: data.updated_at,
    ...(typeof data.node_id === 'string' && data.node_id !== '' ? { nodeId: data.node_id } : {}),
    labelIds,
  };
}
