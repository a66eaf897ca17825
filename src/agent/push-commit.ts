import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitAuth } from './git-auth.ts';
import { runGit } from './run-git.ts';

export interface PushCommitParams {
  /** The checkout whose objects hold the commit. */
  cwd: string;
  sha: string;
  /** Where to push, e.g. `https://github.com/acme/widgets.git`. Never read from the checkout's config. */
  remoteUrl: string;
  branch: string;
  /** A token for HTTPS remotes (an installation token or the job's GITHUB_TOKEN). */
  token?: string;
  /**
   * What the branch must hold for the push to go ahead (a lease): a commit sha, `null` for "must not exist", or
   * undefined to take the branch as the remote shows it just before the push.
   */
  expectedHead?: string | null;
}

export interface Pushed {
  /** The branch's head before the push, or undefined when the push created it. */
  previous: string | undefined;
}

/** A push the remote refused because the branch is not where the lease said. */
export class BranchMovedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BranchMovedError';
  }
}

/**
 * Pushes `sha` to `refs/heads/<branch>` of `remoteUrl` with `--force-with-lease`, so a later attempt replaces
 * the branch (and updates its pull request) but never a commit someone else pushed meanwhile.
 *
 * The push runs from a fresh bare repository in a temporary directory that borrows the checkout's objects
 * (`objects/info/alternates`, and its `shallow` list): the checkout's own config, hooks and remotes, which the
 * agent could have changed (`url.*.insteadOf`, `http.proxy`, a `pre-push` hook), play no part. The token
 * travels as an `http.extraheader` in git's environment (`GIT_CONFIG_*`) of the two commands that talk to the
 * remote: it is never in an argument list, never written to a config file, and hidden in error messages.
 */
export async function pushCommit(params: PushCommitParams): Promise<Pushed> {
  const { env: auth, secrets } = gitAuth(params.token);
  const common = (
    await runGit(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: params.cwd })
  ).stdout.trim();
  const scratch = await mkdtemp(join(tmpdir(), 'flowgate-push-'));
  try {
    await runGit(['init', '--quiet', '--bare', '--template=', scratch], { cwd: scratch });
    await mkdir(join(scratch, 'objects', 'info'), { recursive: true });
    await writeFile(join(scratch, 'objects', 'info', 'alternates'), `${join(common, 'objects')}\n`);
    await copyFile(join(common, 'shallow'), join(scratch, 'shallow')).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      },
    );
    const ref = `refs/heads/${params.branch}`;
    const remote = { cwd: scratch, env: auth, secrets };
    const listed = await runGit(['ls-remote', '--end-of-options', params.remoteUrl, ref], remote);
    const current = listed.stdout
      .split('\n')
      .find((line) => line.endsWith(`\t${ref}`))
      ?.split('\t')[0];
    const expected = params.expectedHead === undefined ? (current ?? '') : (params.expectedHead ?? '');
    if (params.expectedHead !== undefined && (current ?? '') !== expected) {
      throw moved(params.branch, expected, current);
    }
    const pushed = await runGit(
      [
        'push',
        '--porcelain',
        '--no-verify',
        `--force-with-lease=${ref}:${expected}`,
        '--end-of-options',
        params.remoteUrl,
        `${params.sha}:${ref}`,
      ],
      { ...remote, okCodes: [1] },
    );
    const status = pushed.stdout.split('\n').find((line) => line.includes(`:${ref}\t`));
    if (pushed.code !== 0 || status === undefined || status.startsWith('!')) {
      if (status?.includes('(stale info)')) throw moved(params.branch, expected, undefined);
      throw new Error(
        `git push to ${params.branch} was refused: ${(status ?? pushed.stdout.trim()) || `exit status ${pushed.code}`}`,
      );
    }
    return { previous: current };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function moved(branch: string, expected: string, current: string | undefined): BranchMovedError {
  const wanted = expected === '' ? 'not to exist yet' : `to be at ${expected.slice(0, 12)}`;
  const found = current === undefined ? '' : ` but it is at ${current.slice(0, 12)}`;
  return new BranchMovedError(
    `not pushing to ${branch}: flowgate expected the branch ${wanted}${found}. Someone pushed to it since flowgate last ` +
      'did; flowgate does not overwrite their commits. Merge or drop them, or delete the branch, then retry.',
  );
}
