import { requestStatus } from './request-status.ts';
import type { Octo, RepoRef } from './types.ts';

/**
 * The text (UTF-8) of a git blob by its sha, or undefined when the repository has no such blob (404).
 * Cost: 1 GET.
 */
export async function getBlobText(octokit: Octo, repo: RepoRef, sha: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: sha });
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  } catch (error) {
    if (requestStatus(error) === 404) return undefined;
    throw error;
  }
}
