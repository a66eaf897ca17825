import { createHash } from 'node:crypto';
import { requestStatus } from './request-status.ts';
import type { Octo, RepoRef } from './types.ts';

export interface FileCommit {
  /** The branch to commit to; created from the head of the default branch when it does not exist. */
  branch: string;
  /** The file's path from the repository root. */
  path: string;
  text: string;
  message: string;
}

export interface CommittedFile {
  branch: string;
  path: string;
  /** The commit that holds the file: the new one, or the branch head when the file already held this text. */
  commit: string;
  /** False when the branch already held exactly this text, so nothing was committed. */
  changed: boolean;
  /** The branch was created by this call. */
  createdBranch: boolean;
  /** The file's page on the branch. */
  url: string;
}

/** A file commit GitHub refused, with what it said. */
export class CommitFileError extends Error {
  override name = 'CommitFileError';
}

/** The git blob sha of a text: what the contents API reports as a file's `sha`. */
export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * Writes one file to a branch through the contents API, creating the branch from the default branch's head when
 * it is missing. A file that already holds the text is left alone (so a re-run commits nothing twice); when the
 * branch moves between the read and the write (409), the file is read again and the write tried once more.
 * Cost: 2 calls when the branch exists (read the file, write it), 5 when it is created (+ repository, default
 * branch head, new ref); 1 call less when nothing changed.
 */
export async function commitFile(octokit: Octo, repo: RepoRef, file: FileCommit): Promise<CommittedFile> {
  const createdBranch = await ensureBranch(octokit, repo, file.branch);
  const wanted = gitBlobSha(file.text);
  for (let attempt = 1; ; attempt++) {
    const current = await fileSha(octokit, repo, file);
    if (current === wanted) {
      const head = await branchHead(octokit, repo, file.branch);
      return { ...where(repo, file), commit: head ?? '', changed: false, createdBranch };
    }
    try {
      const { data } = await octokit.rest.repos.createOrUpdateFileContents({
        owner: repo.owner,
        repo: repo.repo,
        path: file.path,
        branch: file.branch,
        message: file.message,
        content: Buffer.from(file.text, 'utf8').toString('base64'),
        ...(current === undefined ? {} : { sha: current }),
        request: { retries: 0 },
      });
      const commit = data.commit.sha;
      if (commit === undefined) throw new CommitFileError('GitHub answered the file write without a commit');
      return { ...where(repo, file), commit, changed: true, createdBranch };
    } catch (error) {
      const status = requestStatus(error);
      if ((status === 409 || status === 422) && attempt < 2) continue;
      throw new CommitFileError(
        `GitHub refused to write ${file.path} on ${file.branch} (${status ?? 'no answer'}): ${said(error)}`,
      );
    }
  }
}

function where(repo: RepoRef, file: FileCommit) {
  const path = file.path.split('/').map(encodeURIComponent).join('/');
  return {
    branch: file.branch,
    path: file.path,
    url: `https://github.com/${repo.owner}/${repo.repo}/blob/${encodeURIComponent(file.branch).replaceAll('%2F', '/')}/${path}`,
  };
}

/** The branch's head commit, or undefined when the branch does not exist. */
async function branchHead(octokit: Octo, repo: RepoRef, branch: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({
      owner: repo.owner,
      repo: repo.repo,
      ref: `heads/${branch}`,
    });
    return data.object.sha;
  } catch (error) {
    if (requestStatus(error) === 404) return undefined;
    throw new CommitFileError(`could not read the branch ${branch}: ${said(error)}`);
  }
}

/** Makes sure the branch exists; true when this call created it (from the default branch's head). */
async function ensureBranch(octokit: Octo, repo: RepoRef, branch: string): Promise<boolean> {
  if ((await branchHead(octokit, repo, branch)) !== undefined) return false;
  const { data: info } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  const base = await branchHead(octokit, repo, info.default_branch);
  if (base === undefined) {
    throw new CommitFileError(
      `the default branch ${info.default_branch} has no commit to start ${branch} from (is the repository empty?)`,
    );
  }
  try {
    await octokit.rest.git.createRef({
      owner: repo.owner,
      repo: repo.repo,
      ref: `refs/heads/${branch}`,
      sha: base,
      request: { retries: 0 },
    });
    return true;
  } catch (error) {
    // Another job created it meanwhile: use it.
    if (requestStatus(error) === 422 && (await branchHead(octokit, repo, branch)) !== undefined) return false;
    throw new CommitFileError(`could not create the branch ${branch}: ${said(error)}`);
  }
}

/** The blob sha of the file on the branch, or undefined when there is none. */
async function fileSha(octokit: Octo, repo: RepoRef, file: FileCommit): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner: repo.owner,
      repo: repo.repo,
      path: file.path,
      ref: file.branch,
    });
    if (Array.isArray(data) || data.type !== 'file') {
      throw new CommitFileError(
        `${file.path} on ${file.branch} is a ${Array.isArray(data) ? 'folder' : data.type}, not a file`,
      );
    }
    return data.sha;
  } catch (error) {
    if (error instanceof CommitFileError) throw error;
    if (requestStatus(error) === 404) return undefined;
    throw new CommitFileError(`could not read ${file.path} on ${file.branch}: ${said(error)}`);
  }
}

function said(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
