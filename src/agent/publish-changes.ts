import { pullMarker } from '../core/pull-marker.ts';
import type { Octo, RepoRef } from '../github/types.ts';
import { upsertPull } from '../github/upsert-pull.ts';
import { codeBranch } from './code-branch.ts';
import { commitChanges } from './commit-changes.ts';
import { pullBody } from './pull-body.ts';
import { pushCommit } from './push-commit.ts';
import { redactSecrets } from './redact-secrets.ts';
import { runGit } from './run-git.ts';

export interface PublishChangesParams {
  octokit: Octo;
  repo: RepoRef;
  /** The checkout the agent worked in. */
  cwd: string;
  /** The commit the checkout was at before the agent ran (`readHead` before `runAgent`). */
  base: string;
  /** The branch the pull request goes into (usually the default branch). */
  baseBranch: string;
  /** The issue (or pull request) the run is on: named by the pull request's marker. */
  subject: number;
  stage: string;
  attempt?: number;
  /** Default `flowgate/<subject>-<stage>`. */
  branch?: string;
  /** Where to push, e.g. `https://github.com/acme/widgets.git` (not read from the checkout, which the agent could change). */
  remoteUrl: string;
  /** The push credential; sent to the push only. */
  token?: string;
  /**
   * The branch head the previous attempt pushed (the lease): when given, the push is refused if the branch is
   * elsewhere, so commits someone added are never overwritten. Leave out to replace the branch as it stands.
   */
  expectedHead?: string | null;
  /** The commit's author and committer, e.g. `flowgate[bot]` and its noreply address. */
  author: { name: string; email: string };
  /** The pull request's title; also the commit message's first line unless `commitMessage` is given. */
  title: string;
  /** A few lines on what changed, for the pull request's description. */
  summary: string;
  commitMessage?: string;
  runUrl?: string;
  draft?: boolean;
  now?: () => Date;
  /**
   * The open pull request whose head `branch` is, when the commit goes onto it (a later code stage of a run):
   * the push updates it, and its title and description, written by the stage that opened it, stay as they are.
   */
  pull?: { number: number; url: string };
}

export type PublishResult =
  | {
      status: 'published';
      pull_number: number;
      /** The commit pushed: the pull request's head. */
      head_sha: string;
      branch: string;
      /** True when this call opened the pull request, false when it updated the open one. */
      created: boolean;
      /** The files that differ from `base`, sorted. */
      files_changed: string[];
      pull_url: string;
    }
  | { status: 'unchanged'; branch: string; message: string };

/**
 * Turns what the agent left in the checkout into a pull request:
 * 1. checks the branch name;
 * 2. commits every change since `base` as one commit by `author` (nothing changed: an `unchanged` result);
 * 3. pushes it to the branch with a lease (`pushCommit`), replacing what an earlier attempt pushed;
 * 4. opens the pull request, or updates the one open from the branch (found by `owner:branch`); with `pull`, the
 *    push alone updates that one.
 * Failures throw an Error whose message says what to do and holds no token.
 */
export async function publishChanges(params: PublishChangesParams): Promise<PublishResult> {
  const branch = params.branch ?? codeBranch(params.subject, params.stage);
  const secrets = params.token === undefined ? [] : [params.token];
  await assertBranchName(branch, params.cwd);

  const commit = await commitChanges({
    cwd: params.cwd,
    base: params.base,
    message:
      params.commitMessage ??
      `${params.title}\n\nMade by flowgate for #${params.subject}, stage ${params.stage}.`,
    author: params.author,
    ...(params.now === undefined ? {} : { date: params.now() }),
  });
  if (commit === undefined) {
    return {
      status: 'unchanged',
      branch,
      message: `the agent changed nothing: the checkout is the same as ${params.base.slice(0, 12)}, so there is no pull request to open or update`,
    };
  }

  await pushCommit({
    cwd: params.cwd,
    sha: commit.sha,
    remoteUrl: params.remoteUrl,
    branch,
    ...(params.token === undefined ? {} : { token: params.token }),
    ...(params.expectedHead === undefined ? {} : { expectedHead: params.expectedHead }),
  });

  if (params.pull !== undefined) {
    return {
      status: 'published',
      pull_number: params.pull.number,
      head_sha: commit.sha,
      branch,
      created: false,
      files_changed: commit.files,
      pull_url: params.pull.url,
    };
  }

  const body = pullBody({
    subject: params.subject,
    stage: params.stage,
    ...(params.attempt === undefined ? {} : { attempt: params.attempt }),
    summary: params.summary,
    files: commit.files,
    ...(params.runUrl === undefined ? {} : { runUrl: params.runUrl }),
  });
  let upserted: Awaited<ReturnType<typeof upsertPull>>;
  try {
    upserted = await upsertPull(
      params.octokit,
      params.repo,
      { head: branch, base: params.baseBranch, title: params.title, body, draft: params.draft ?? false },
      pullMarker(params.subject),
    );
  } catch (error) {
    const said = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
    throw new Error(
      `pushed ${commit.sha.slice(0, 12)} to ${branch}, but the pull request could not be opened or updated: ${said}`,
      { cause: error },
    );
  }
  return {
    status: 'published',
    pull_number: upserted.pull.number,
    head_sha: commit.sha,
    branch,
    created: upserted.created,
    files_changed: commit.files,
    pull_url: upserted.pull.url,
  };
}

async function assertBranchName(branch: string, cwd: string): Promise<void> {
  const checked = await runGit(['check-ref-format', `refs/heads/${branch}`], { cwd, okCodes: [1] });
  if (checked.code !== 0) {
    throw new Error(`"${branch}" is not a valid branch name (see git check-ref-format)`);
  }
}
