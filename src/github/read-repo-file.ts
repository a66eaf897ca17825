import type { RepoFileRef } from '../core/load/extends-ref.ts';
import type { Octo } from './types.ts';

/**
 * The text of one file in a repository at a ref, through the contents API (files up to 1 MB).
 * Cost: 1 GET.
 */
export async function readRepoFile(octokit: Octo, file: RepoFileRef): Promise<string> {
  const response = await octokit.rest.repos.getContent({
    owner: file.owner,
    repo: file.repo,
    path: file.path,
    ...(file.ref === undefined ? {} : { ref: file.ref }),
  });
  const data = response.data;
  if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
    throw new Error(`${file.owner}/${file.repo}/${file.path} is not a file`);
  }
  return Buffer.from(data.content, 'base64').toString('utf8');
}
