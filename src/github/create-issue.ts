import type { IssueRef, Octo, RepoRef } from './types.ts';

/** Opens an issue; answers its number, GraphQL node id and page. Cost: 1 POST (content-creating). */
export async function createIssue(
  octokit: Octo,
  repo: RepoRef,
  issue: { title: string; body: string },
): Promise<IssueRef & { nodeId: string; url: string }> {
  const { data } = await octokit.rest.issues.create({
    owner: repo.owner,
    repo: repo.repo,
    title: issue.title,
    body: issue.body,
  });
  return { ...repo, number: data.number, nodeId: data.node_id, url: data.html_url };
}
