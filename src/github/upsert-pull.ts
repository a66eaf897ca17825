import { createPull, type NewPull } from './create-pull.ts';
import { findOpenPull } from './find-open-pull.ts';
import type { PullSummary } from './pull-summary.ts';
import { requestStatus } from './request-status.ts';
import type { Octo, RepoRef } from './types.ts';
import { updatePull } from './update-pull.ts';

/**
 * Makes sure an open pull request from `pull.head` exists: the open one from that branch is kept (and its title and
 * description rewritten when they carry `marker` and differ: a pull request flowgate did not write is left as
 * it is), otherwise one is opened.
 *
 * GitHub can open the pull request and still answer 5xx, and answers 422 when one is already open from the
 * branch (opened in between, or by that lost answer): then the open pull requests are listed again and the one
 * found is adopted.
 *
 * Cost: 1 GET, then 0 or 1 PATCH, or 1 POST. After a failed POST of uncertain outcome: 1 more GET and at most
 * 1 PATCH.
 */
export async function upsertPull(
  octokit: Octo,
  repo: RepoRef,
  pull: NewPull,
  marker: string,
): Promise<{ pull: PullSummary; created: boolean }> {
  if (marker === '' || !pull.body.includes(marker)) {
    throw new Error(`the pull request body does not contain its marker ${JSON.stringify(marker)}`);
  }
  const open = await findOpenPull(octokit, repo, pull.head);
  if (open !== undefined) return { pull: await refresh(octokit, repo, open, pull, marker), created: false };
  try {
    return { pull: await createPull(octokit, repo, pull), created: true };
  } catch (error) {
    const status = requestStatus(error);
    if (status === undefined || (status !== 422 && status < 500)) throw error;
    const adopted = await findOpenPull(octokit, repo, pull.head);
    if (adopted === undefined) throw error;
    return { pull: await refresh(octokit, repo, adopted, pull, marker), created: status !== 422 };
  }
}

async function refresh(
  octokit: Octo,
  repo: RepoRef,
  open: PullSummary,
  pull: NewPull,
  marker: string,
): Promise<PullSummary> {
  if (!open.body.includes(marker)) return open;
  if (open.title === pull.title && open.body === pull.body) return open;
  return updatePull(octokit, repo, open.number, { title: pull.title, body: pull.body });
}
