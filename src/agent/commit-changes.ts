import { runGit } from './run-git.ts';

export interface CommitChangesParams {
  /** The checkout the agent worked in. */
  cwd: string;
  /** The commit the agent started from: the new commit's parent and what "changed" is measured against. */
  base: string;
  message: string;
  author: { name: string; email: string };
  /** The commit's date (default: now). */
  date?: Date;
}

export interface Commit {
  sha: string;
  /** The files that differ from `base`, sorted. */
  files: string[];
}

/**
 * Commits everything the agent left in the checkout as one commit on top of `base`, or returns undefined when
 * nothing differs from `base`. Untracked files count (ignored ones do not); commits the agent made itself are
 * folded in, since the new commit's tree is the whole working tree. The checkout's branch and HEAD stay where they
 * are; the index is left with the changes added.
 */
export async function commitChanges(params: CommitChangesParams): Promise<Commit | undefined> {
  const git = (args: string[], env?: Record<string, string>) =>
    runGit(args, { cwd: params.cwd, ...(env ? { env } : {}) });
  const base = (
    await git(['rev-parse', '--verify', '--end-of-options', `${params.base}^{commit}`])
  ).stdout.trim();
  const baseTree = (await git(['rev-parse', '--verify', `${base}^{tree}`])).stdout.trim();
  await git(['add', '--all', '--', ':/']);
  const tree = (await git(['write-tree'])).stdout.trim();
  if (tree === baseTree) return undefined;
  const listed = await git(['diff-tree', '-r', '--no-renames', '--name-only', '-z', baseTree, tree]);
  const files = listed.stdout
    .split('\0')
    .filter((f) => f !== '')
    .sort();
  const date = (params.date ?? new Date()).toISOString();
  const identity = {
    GIT_AUTHOR_NAME: params.author.name,
    GIT_AUTHOR_EMAIL: params.author.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: params.author.name,
    GIT_COMMITTER_EMAIL: params.author.email,
    GIT_COMMITTER_DATE: date,
  };
  const sha = (await git(['commit-tree', tree, '-p', base, '-m', params.message], identity)).stdout.trim();
  return { sha, files };
}
