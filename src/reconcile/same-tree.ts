import type { EngineEvent } from '../core/engine/events.ts';
import type { RunState } from '../core/state/run-state.ts';
import { commitTree } from '../github/commit-tree.ts';
import type { Octo, RepoRef } from '../github/types.ts';

/**
 * Marks a `head.moved` event `same_tree` when the new head has the same files as the one the run knew (a rebase
 * onto the same base, an amended message, a re-signed commit), so approvals survive it. Asked of GitHub only when
 * the push would void an approval of the current stage. Cost: 0, or 2 GETs (one when the old commit is gone: then
 * nothing can be proved, and the push counts as a change).
 */
export async function markSameTree(
  events: EngineEvent[],
  state: RunState,
  octokit: Octo,
  repo: RepoRef,
): Promise<void> {
  const moved = events.find((e) => e.type === 'head.moved');
  const before = state.subject.head_sha;
  if (moved?.type !== 'head.moved' || before === undefined) return;
  const record = state.stages[state.stage];
  if (record === undefined || !record.approvals.some((a) => a.via !== 'skip' && a.attempt === record.attempt))
    return;
  const old = await commitTree(octokit, repo, before);
  if (old === undefined) return;
  if ((await commitTree(octokit, repo, moved.sha)) === old) moved.same_tree = true;
}
