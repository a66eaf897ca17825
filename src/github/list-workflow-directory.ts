import type { KeyedCache } from './keyed-cache.ts';
import { requestStatus } from './request-status.ts';
import type { Octo, RepoRef } from './types.ts';

/** One workflow file in `.github/flowgate/`: its path and git blob sha (the same sha is the same text). */
export interface WorkflowEntry {
  path: string;
  sha: string;
}

/** A listing as it was last answered, with its ETag, so that the next one can be a conditional request. */
export interface WorkflowListing {
  etag: string;
  entries: WorkflowEntry[];
}

const DIRECTORY = '.github/flowgate';

/**
 * The YAML files of `.github/flowgate/` at `ref` (`*.yml`, `*.yaml`, not subdirectories), sorted by path; [] when
 * there is no such directory. With `listings`, the request is conditional: the ETag of the listing last seen for
 * the same repository and ref is sent, and GitHub answers 304 while nothing under the directory changed (a 304
 * does not count against the rate limit); the new listing and its ETag are remembered.
 * Cost: 1 GET (free when unchanged and `listings` holds the previous answer).
 */
export async function listWorkflowDirectory(
  octokit: Octo,
  repo: RepoRef,
  ref: string,
  listings?: KeyedCache<WorkflowListing>,
): Promise<WorkflowEntry[]> {
  const key = `${repo.owner.toLowerCase()}/${repo.repo.toLowerCase()}@${ref}`;
  const known = listings?.get(key);
  let response: Awaited<ReturnType<Octo['rest']['repos']['getContent']>>;
  try {
    response = await octokit.rest.repos.getContent({
      owner: repo.owner,
      repo: repo.repo,
      path: DIRECTORY,
      ref,
      ...(known === undefined ? {} : { headers: { 'if-none-match': known.etag } }),
    });
  } catch (error) {
    const status = requestStatus(error);
    if (status === 304 && known !== undefined) return known.entries;
    if (status === 404) return [];
    throw error;
  }
  const data = response.data;
  const entries = (Array.isArray(data) ? data : [])
    .filter((entry) => entry.type === 'file' && /\.ya?ml$/i.test(entry.name))
    .map(({ path, sha }) => ({ path, sha }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const etag = response.headers.etag;
  if (listings !== undefined && typeof etag === 'string' && etag !== '') listings.set(key, { etag, entries });
  return entries;
}
