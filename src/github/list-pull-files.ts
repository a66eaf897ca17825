import type { IssueRef, Octo } from './types.ts';

export interface PullFile {
  path: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  /** The unified diff of the file; absent for binary files and for diffs GitHub finds too large. */
  patch?: string;
  /** For a renamed file: its path before. */
  previousPath?: string;
}

/**
 * The files a pull request changes, in GitHub's order. GitHub lists at most 3,000 files.
 * Cost: ceil(files / 100) GETs, at least 1.
 */
export async function listPullFiles(octokit: Octo, pull: IssueRef): Promise<PullFile[]> {
  const raw = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  return raw.map((f) => ({
    path: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    ...(f.patch === undefined ? {} : { patch: f.patch }),
    ...(f.previous_filename === undefined ? {} : { previousPath: f.previous_filename }),
  }));
}
