import { requestStatus } from './request-status.ts';
import type { Octo, RepoRef } from './types.ts';

/**
 * The tree (the files, as one hash) of commit `sha`, or undefined when GitHub does not know the commit (404, 422:
 * a force-push may have dropped it). Cost: 1 GET.
 */
export async function commitTree(octokit: Octo, repo: RepoRef, sha: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getCommit({
      owner: repo.owner,
      repo: repo.repo,
      commit_sha: sha,
    });
    return data.tree.sha;
  } catch (error) {
    const status = requestStatus(error);
    if (status === 404 || status === 422) return undefined;
    throw error;
  }
}
