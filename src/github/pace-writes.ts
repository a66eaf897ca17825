import type { GitHubClient } from './create-octokit.ts';
import type { Octo } from './types.ts';

/** A client whose requests can be hooked: what `createOctokit` builds. */
export type HookedOcto = Octo & Pick<GitHubClient, 'hook'>;

/**
 * Whether GitHub counts a request against its limits on content creation: every REST request that is not a read
 * (GET, HEAD), and GraphQL mutations (a GraphQL query is a read, though sent with POST).
 */
export function isContentCreating(options: { method?: string; url?: string; query?: unknown }): boolean {
  const method = (options.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return false;
  if (options.url === '/graphql' || options.url?.endsWith('/graphql') === true) {
    return typeof options.query === 'string' && /^\s*mutation\b/.test(options.query);
  }
  return true;
}

/**
 * Runs `beforeWrite` (e.g. a pacer's wait) before each content-creating request the client sends, once per request
 * (Octokit's retries of it are not paced again), until the returned function is called. No request is sent.
 */
export function paceWrites(octokit: HookedOcto, beforeWrite: () => Promise<void>): () => void {
  const hook = async (options: { method?: string; url?: string; query?: unknown }) => {
    if (isContentCreating(options)) await beforeWrite();
  };
  octokit.hook.before('request', hook);
  return () => octokit.hook.remove('request', hook);
}
