import { decodeSweepState, type Pacer, renderDashboard, type SweepState } from '../../core/sweep/index.ts';
import type { Workflow } from '../../core/workflow.ts';
import { getIssue } from '../../github/get-issue.ts';
import type { IssueRef, Octo } from '../../github/types.ts';
import { updateIssueBody } from '../../github/update-issue-body.ts';

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
  pacer: Pacer;
  now: () => string;
  sleep: (ms: number) => Promise<void>;
}

/**
 * The dashboard issue as the sweep state's store. GitHub has no compare-and-swap on issue bodies, so each write
 * reads the issue again first: if its block's `rev` is not the one this shell last read or wrote, another shell
 * wrote meanwhile and `write` throws `LostRace`. Otherwise the state goes out with `rev + 1` (the core never bumps
 * it), rendered as the dashboard, after the pacer's delay. Cost per write: 1 GET and 1 PATCH (content-creating).
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
    const { octokit, issue, workflow, key, pacer } = this.#p;
    const current = await getIssue(octokit, issue);
    const decoded = decodeSweepState(current.body, key);
    const found = decoded.ok ? decoded.state.rev : undefined;
    if (found !== this.#rev && !(found === undefined && this.#rev === 0)) {
      throw new LostRace(
        `the dashboard #${issue.number} was written by another sweep job (rev ${found ?? 'unreadable'}, this job expected ${this.#rev}): this job stops`,
      );
    }
    const next: SweepState = { ...state, rev: this.#rev + 1 };
    const wait = pacer.delayBefore(this.#p.now());
    if (wait > 0) await this.#p.sleep(wait);
    await updateIssueBody(octokit, issue, renderDashboard(workflow, next, this.#p.now(), { key }));
    pacer.record(this.#p.now());
    this.#rev = next.rev;
    this.writes++;
    return next;
  }
}
