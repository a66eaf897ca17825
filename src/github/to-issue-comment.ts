import type { IssueComment, Octo } from './types.ts';

type RestIssueComment = Awaited<ReturnType<Octo['rest']['issues']['getComment']>>['data'];

/** GitHub's issue comment, trimmed to what flowgate reads. Pure. */
export function toIssueComment(raw: RestIssueComment): IssueComment {
  const slug = raw.performed_via_github_app?.slug;
  return {
    id: raw.id,
    ...(raw.node_id ? { nodeId: raw.node_id } : {}),
    body: raw.body ?? '',
    login: raw.user?.login ?? 'ghost',
    isBot: raw.user?.type === 'Bot',
    ...(slug ? { appSlug: slug } : {}),
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    url: raw.html_url,
  };
}
