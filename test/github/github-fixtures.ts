import { createOctokit } from '../../src/github/create-octokit.ts';

export const API = 'https://api.github.com';
export const REPO = { owner: 'acme', repo: 'widgets' };
export const ISSUE = { ...REPO, number: 7 };

/** The client the adapter is tested with: no retries, no throttling, nock answers every request. */
export function octokit() {
  return createOctokit({ token: 't', resilient: false });
}

/** A `simple-user` as GitHub sends it. */
export function user(login: string, type: 'User' | 'Bot' = 'User', id = 1) {
  return {
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `${API}/users/${login}`,
    html_url: `https://github.com/${login}`,
    followers_url: `${API}/users/${login}/followers`,
    following_url: `${API}/users/${login}/following{/other_user}`,
    gists_url: `${API}/users/${login}/gists{/gist_id}`,
    starred_url: `${API}/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `${API}/users/${login}/subscriptions`,
    organizations_url: `${API}/users/${login}/orgs`,
    repos_url: `${API}/users/${login}/repos`,
    events_url: `${API}/users/${login}/events{/privacy}`,
    received_events_url: `${API}/users/${login}/received_events`,
    type,
    site_admin: false,
  };
}

/** An `issue-comment` as the issues comments API sends it. */
export function comment(
  id: number,
  body: string,
  options: { login?: string; type?: 'User' | 'Bot'; app?: string; at?: string } = {},
) {
  const at = options.at ?? `2025-03-0${(id % 9) + 1}T10:00:00Z`;
  return {
    id,
    node_id: `IC_kwDOA${id}`,
    url: `${API}/repos/acme/widgets/issues/comments/${id}`,
    html_url: `https://github.com/acme/widgets/issues/7#issuecomment-${id}`,
    body,
    user: user(options.login ?? 'octocat', options.type ?? 'User'),
    created_at: at,
    updated_at: at,
    issue_url: `${API}/repos/acme/widgets/issues/7`,
    author_association: 'MEMBER',
    performed_via_github_app:
      options.app === undefined
        ? null
        : {
            id: 1001,
            slug: options.app,
            node_id: 'MDM6QXBwMTAwMQ==',
            owner: user('acme', 'User', 2),
            name: options.app,
            description: '',
            external_url: 'https://example.com',
            html_url: `https://github.com/apps/${options.app}`,
            created_at: '2024-01-01T00:00:00Z',
            updated_at: '2024-01-01T00:00:00Z',
            permissions: { issues: 'write' },
            events: ['issue_comment'],
          },
    reactions: {
      url: `${API}/repos/acme/widgets/issues/comments/${id}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
  };
}

/** A `label` as the issues labels API sends it. */
export function label(name: string, id = 208045946) {
  return {
    id,
    node_id: `MDU6TGFiZWw${id}`,
    url: `${API}/repos/acme/widgets/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: 'ededed',
    default: false,
  };
}

/** The Link header GitHub sends on a page that has a next one. */
export function nextLink(path: string, page: number, last: number) {
  return {
    link: `<${API}${path}&page=${page}>; rel="next", <${API}${path}&page=${last}>; rel="last"`,
  };
}

/** The 404 body GitHub sends. */
export const NOT_FOUND = {
  message: 'Not Found',
  documentation_url: 'https://docs.github.com/rest',
  status: '404',
};
