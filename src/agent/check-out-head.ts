import { gitAuth } from './git-auth.ts';
import { runGit } from './run-git.ts';

export interface CheckOutHeadParams {
  /** The checkout the agent will work in (the job's, before the agent has run). */
  cwd: string;
  /** Where the branch is, e.g. `https://github.com/acme/widgets.git` (not read from the checkout). */
  remoteUrl: string;
  branch: string;
  /** A token for HTTPS remotes; sent to the fetch only. */
  token?: string;
}

/**
 * Puts the checkout at the head of `branch` of `remoteUrl` (a detached HEAD, the working tree replaced), so that
 * a code stage works on a pull request as it stands: `fetch --depth=1` of that one branch (a shallow checkout
 * stays shallow), then `checkout --force --detach`. Returns the head. The token travels as in `pushCommit`.
 */
export async function checkOutHead(params: CheckOutHeadParams): Promise<string> {
  const { env, secrets } = gitAuth(params.token);
  const ref = 'refs/flowgate/pull-head';
  await runGit(
    [
      'fetch',
      '--quiet',
      '--no-tags',
      '--depth=1',
      '--end-of-options',
      params.remoteUrl,
      `+refs/heads/${params.branch}:${ref}`,
    ],
    { cwd: params.cwd, env, secrets },
  );
  const head = (
    await runGit(['rev-parse', '--verify', `${ref}^{commit}`], { cwd: params.cwd })
  ).stdout.trim();
  await runGit(['checkout', '--quiet', '--force', '--detach', head], { cwd: params.cwd });
  await runGit(['update-ref', '-d', ref], { cwd: params.cwd });
  return head;
}
