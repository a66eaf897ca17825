import type { Octo } from './types.ts';

/**
 * The route of GitHub's GraphQL endpoint for this client: `POST /graphql` on github.com (and on a base URL without
 * the Enterprise Server prefix), `POST <host>/api/graphql` on GitHub Enterprise Server, whose REST base URL ends in
 * `/api/v3` while GraphQL is served beside it, not under it (as @octokit/graphql does it).
 */
export function graphqlRoute(octokit: Octo): string {
  const base = String(octokit.request.endpoint.DEFAULTS.baseUrl ?? '');
  return /\/api\/v3\/?$/.test(base)
    ? `POST ${base.replace(/\/api\/v3\/?$/, '/api/graphql')}`
    : 'POST /graphql';
}
