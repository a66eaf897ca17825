import { FINAL_STATUSES, type RunState } from '../../core/state/run-state.ts';
import { type ItemFacts, type SweepItem, scheduleOf, selectItems } from '../../core/sweep/index.ts';
import type { Workflow } from '../../core/workflow.ts';
import { listIssueComments } from '../../github/list-issue-comments.ts';
import type { ListedIssue } from '../../github/list-open-issues.ts';
import type { Octo, RepoRef } from '../../github/types.ts';
import { readRuns } from '../../reconcile/read-runs.ts';

export interface CollectParams {
  octokit: Octo;
  repo: RepoRef;
  workflow: Workflow;
  open: readonly ListedIssue[];
  /** The dashboard issue: never an item of its own sweep. */
  dashboard: number;
  stateKey: string;
  now: string;
}

/**
 * The items a new sweep takes: the open issues and pull requests `on.schedule.select` picks (the dashboard left
 * out), each with where its run of the workflow stands, read from its status comment (state lives on GitHub: a
 * sweep goes on from there and never redoes a stage). Cost: 1 GET per selected item that has comments (more past
 * 100 comments); none for one the issues list shows without any.
 */
export async function collectSweepItems(params: CollectParams): Promise<SweepItem[]> {
  const { octokit, repo, workflow } = params;
  const facts: ItemFacts[] = params.open.map((i) => ({
    number: i.number,
    kind: i.isPull ? 'pull_request' : 'issue',
    state: i.state,
    labels: i.labels,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    author: i.author,
  }));
  const numbers = selectItems(scheduleOf(workflow).select, facts, params.now, {
    exclude: [params.dashboard],
  });
  const items: SweepItem[] = [];
  const commentCount = new Map(params.open.map((i) => [i.number, i.comments]));
  for (const number of numbers) {
    // An item without a comment has no status comment, so no run: nothing to read.
    if (commentCount.get(number) === 0) {
      items.push({ number });
      continue;
    }
    const comments = await listIssueComments(octokit, { ...repo, number });
    const run = runOf(
      workflow.name,
      readRuns(comments, params.stateKey, { id: params.repo.id, number }).runs.map((r) => r.state),
    );
    items.push(run === undefined ? { number } : { number, run: { stage: run.stage, status: run.status } });
  }
  return items;
}

/** The item's run of the workflow: the one in progress, else the newest. */
export function runOf(name: string, runs: readonly RunState[]): RunState | undefined {
  const mine = runs.filter((r) => r.workflow === name);
  return mine.find((r) => !FINAL_STATUSES.includes(r.status)) ?? mine.at(-1);
}
