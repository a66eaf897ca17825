import { decodeSweepState, renderDashboard, type SweepState } from '../../core/sweep/index.ts';
import type { Workflow } from '../../core/workflow.ts';
import { getIssue } from '../../github/get-issue.ts';
import type { IssueRef, Octo } from '../../github/types.ts';
import { updateIssueBody } from '../../github/update-issue-body.ts';
import type { JobPacer } from './job-pacer.ts';

/** Another shell wrote the dashboard since this one last read or wrote it: this one must stop without writing. */
export class LostRace extends Error {
  override name = 'LostRace';
}

export interface DashboardStoreParams {
  octokit: Octo;
  issue: IssueRef;
  workflow: Workflow;
  key: string;
  /** The `rev` of the state as this shell read it. */
  rev: number;
  /** The job's pacer: its client waits for it before the write; the state carries its record to the next job. */
  pace: JobPacer;
  now: () => string;
}

/**
 * The dashboard issue as the sweep state's store. GitHub has no compare-and-swap on issue bodies, so each write
 * reads the issue again first: if its block's `rev` is not the one this shell last read or wrote, another shell
 * wrote meanwhile and `write` throws `LostRace`. Otherwise the state goes out with `rev + 1` (the core never bumps
 * it) and the job's pace record (the requests of the last hour, this write included), rendered as the dashboard.
 * The client paces the PATCH (see `paceWrites`). Cost per write: 1 GET and 1 PATCH (content-creating).
 */
export class DashboardStore {
  readonly issue: IssueRef;
  #p: DashboardStoreParams;
  #rev: number;
  writes = 0;

  constructor(params: DashboardStoreParams) {
    this.#p = params;
    this.issue = params.issue;
    this.#rev = params.rev;
  }

  async write(state: SweepState): Promise<SweepState> {
    const { octokit, issue, workflow, key, pace } = this.#p;
    const current = await getIssue(octokit, issue);
    const decoded = decodeSweepState(current.body, key, issue.id);
    const found = decoded.ok ? decoded.state.rev : undefined;
    if (found !== this.#rev && !(found === undefined && this.#rev === 0)) {
      throw new LostRace(
        `the dashboard #${issue.number} was written by another sweep job (rev ${found ?? 'unreadable'}, this job expected ${this.#rev}): this job stops`,
      );
    }
    const next: SweepState = { ...state, rev: this.#rev + 1, pace: pace.recordWithNextWrite() };
    await updateIssueBody(
      octokit,
      issue,
      renderDashboard(workflow, next, this.#p.now(), { key, repoId: issue.id }),
    );
    this.#rev = next.rev;
    this.writes++;
    return next;
  }
}
