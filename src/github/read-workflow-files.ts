import type { KeyedCache } from './keyed-cache.ts';
import { listWorkflowDirectory, type WorkflowListing } from './list-workflow-directory.ts';
import type { Octo, RepoRef } from './types.ts';

export interface WorkflowFile {
  path: string;
  /** The git blob sha: the same sha is the same text. */
  sha: string;
  text: string;
}

/**
 * The flowgate workflow files (`.github/flowgate/*.yml` and `*.yaml`, not subdirectories) at `ref`, by path.
 * `cache` maps blob shas to texts and is filled as files are read, so an unchanged file is not fetched again.
 * `listings` makes the directory listing a conditional request (see `listWorkflowDirectory`).
 * No `.github/flowgate` directory: [].
 * Cost: 1 GET for the directory (free when unchanged with `listings`), plus 1 GET per file whose sha is not in
 * `cache`.
 */
export async function readWorkflowFiles(
  octokit: Octo,
  repo: RepoRef,
  ref: string,
  cache: KeyedCache<string>,
  listings?: KeyedCache<WorkflowListing>,
): Promise<WorkflowFile[]> {
  const files = await listWorkflowDirectory(octokit, repo, ref, listings);
  return Promise.all(
    files.map(async ({ path, sha }) => ({ path, sha, text: await readBlobText(octokit, repo, sha, cache) })),
  );
}

/**
 * The text of one git blob, from `cache` when it holds the sha.
 * Cost: 0 GETs when cached, else 1.
 */
export async function readBlobText(
  octokit: Octo,
  repo: RepoRef,
  sha: string,
  cache: KeyedCache<string>,
): Promise<string> {
  const cached = cache.get(sha);
  if (cached !== undefined) return cached;
  const { data } = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: sha });
  const text = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  cache.set(sha, text);
  return text;
}
