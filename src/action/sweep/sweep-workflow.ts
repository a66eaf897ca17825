import type { Usage } from '../../core/state/run-state.ts';
import {
  acquireLease,
  addSweepRun,
  ENDED_STATUSES,
  emptySweepState,
  type ItemResult,
  nextWork,
  recordResults,
  releaseLease,
  renderSweepSummary,
  renewLease,
  type SweepState,
  type SweepTrigger,
  setCurrentItem,
  settleSweep,
  startBatch,
  startSweep,
} from '../../core/sweep/index.ts';
import type { Workflow } from '../../core/workflow.ts';
import { listOpenIssues } from '../../github/list-open-issues.ts';
import type { Octo, Permission } from '../../github/types.ts';
import { flushHeldLabels, type HeldLabels } from '../../reconcile/apply-labels.ts';
import type { ReconcileConfig } from '../../reconcile/reconcile-config.ts';
import type { ReconcileDeps } from '../../reconcile/reconcile-deps.ts';
import type { SubjectEvent } from '../../reconcile/subject-event.ts';
import { toError, WriterMismatch } from '../action-error.ts';
import { advanceSubject, type JobMemory } from '../advance-subject.ts';
import type { CodeStageRunner } from '../code-stage.ts';
import type { GitHubInputs } from '../inputs.ts';
import type { Models } from '../model-types.ts';
import type { Log } from '../step-context.ts';
import { applyDashboardCommands } from './apply-dashboard-commands.ts';
import { collectSweepItems, runOf } from './collect-sweep-items.ts';
import { DashboardStore, LostRace } from './dashboard-store.ts';
import { itemResult } from './item-result.ts';
import type { JobPacer } from './job-pacer.ts';
import { openDashboard } from './open-dashboard.ts';
import { postSweepNotice } from './post-sweep-notice.ts';

export interface SweepWorkflowParams {
  octokit: Octo;
  github: GitHubInputs;
  defaultBranch: string;
  workflow: Workflow;
  /** The blob sha of the workflow file. */
  definition: string;
  /** The lease holder: this Actions run. */
  holder: string;
  trigger: SweepTrigger;
  actor: string;
  config: ReconcileConfig;
  models: Models;
  env: Readonly<Record<string, string | undefined>>;
  runCodeStage?: CodeStageRunner;
  log: Log;
  now: () => string;
  /** The job's pacer, shared by the workflows it sweeps (the job's client waits for it before each write). */
  pace: JobPacer;
  leaseSeconds: number;
  caches: Pick<ReconcileDeps, 'blobs' | 'definitions' | 'labels' | 'workflows'> & JobMemory;
}

/** How one workflow's sweep ended in this job. */
export interface SweepReport {
  workflow: string;
  dashboard?: number;
  /**
   * lease: another job holds the lease; started-no: startSweep refused (`empty`, `over_budget`); otherwise the
   * sweep's status when this job let go of it (completed, paused, failed, budget_stopped), or `lost` when another
   * job took over.
   */
  outcome: 'lease' | 'empty' | 'over_budget' | 'lost' | 'completed' | 'paused' | 'failed' | 'budget_stopped';
  /** One line for the log (and the job's error, for `over_budget`). */
  message: string;
  /** Item stage runs this job advanced. */
  advanced: number;
  /** This workflow's part of the job summary, in Markdown (see `renderSweepSummary`). */
  summary: string;
}

/**
 * One workflow's sweep in this job (docs/sweeps.md §1 and §13):
 * 1. list the open items; find or create the dashboard, read its state, and take in its pace record;
 * 2. take the lease (a refusal ends here, writing nothing); apply and answer new dashboard commands;
 * 3. unless the latest sweep is unfinished, select the items, read where their runs stand, and start a sweep
 *    (a refusal is written to the dashboard and reported);
 * 4. batch after batch: mark it started (this run among the sweep's runs) and write; advance each item's run
 *    through the batch's stage in this job, writing when the current item changes; record the results, renew the
 *    lease, apply and answer new dashboard commands, and write;
 * 5. settle the sweep's end, post its completion or failure notice on the dashboard (once per end, mentioning the
 *    approvers), release the lease, write.
 * A write that finds another job's write in between (`LostRace`), or a renewal refused, ends the job's part:
 * another job goes on with the sweep (`lost`).
 */
export async function sweepWorkflow(p: SweepWorkflowParams): Promise<SweepReport> {
  const { octokit, workflow, log, holder } = p;
  const repo = p.github.repo;
  const name = workflow.name;
  let dashboardUrl: string | undefined;
  let shown: SweepState | undefined;
  let advanced = 0;
  const report = (outcome: SweepReport['outcome'], message: string, dashboard?: number): SweepReport => {
    log.info(`flowgate: sweep of "${name}": ${message}`);
    const summary = renderSweepSummary(workflow, shown ?? emptySweepState(name), p.now(), {
      message,
      advanced,
      ...(dashboardUrl === undefined ? {} : { dashboard_url: dashboardUrl }),
    });
    return {
      workflow: name,
      outcome,
      message,
      advanced,
      summary,
      ...(dashboard === undefined ? {} : { dashboard }),
    };
  };

  // 1. The items and the dashboard.
  const open = await listOpenIssues(octokit, repo);
  const opened = await openDashboard({
    octokit,
    repo,
    workflow,
    open,
    key: p.config.stateKey,
    now: p.now(),
    log,
  });
  const dashboard = opened.issue;
  dashboardUrl = opened.url;
  shown = opened.state;
  p.pace.adopt(opened.state.pace);
  const store = new DashboardStore({
    octokit,
    issue: dashboard,
    workflow,
    key: p.config.stateKey,
    rev: opened.state.rev,
    pace: p.pace,
    now: p.now,
  });
  const permissions = new Map<string, Permission>();
  const commands = (state: SweepState) =>
    applyDashboardCommands({ octokit, dashboard, workflow, state, now: p.now(), permissions, log });
  let writtenAt = Number.NEGATIVE_INFINITY;
  const write = async (state: SweepState) => {
    shown = await store.write(state);
    writtenAt = Date.parse(p.now());
    return shown;
  };
  // The item being worked on is shown at most every CURRENT_ITEM_EVERY_MS: a later write (the next one, the batch's
  // end) carries it otherwise. Each write is 2 requests, one content-creating, so one per item would cost more
  // than the items' own writes allow (docs/sweeps.md §15).
  const showCurrent = async (state: SweepState) =>
    Date.parse(p.now()) - writtenAt >= CURRENT_ITEM_EVERY_MS ? write(state) : state;

  // Each item's label changes, held from reconcile to reconcile until the sweep is done with it in this job (its run
  // waits for people or ended), or the job lets go of the sweep: one label write per item and job, not one per move.
  const held = new Map<number, HeldLabels>();
  const heldOf = (item: number) => {
    const known = held.get(item) ?? { add: new Map(), remove: new Set<string>() };
    held.set(item, known);
    return known;
  };
  const flushLabels = async (item: number) => {
    const changes = held.get(item);
    const issue = byNumber.get(item);
    held.delete(item);
    if (changes === undefined || issue === undefined) return;
    const labels = await flushHeldLabels(octokit, { ...repo, number: item }, issue.labels, changes, p.caches);
    byNumber.set(item, { ...issue, labels });
  };
  const byNumber = new Map(open.map((i) => [i.number, i]));

  // 2. The lease, then the commands: only the job that writes the state answers them (see applyDashboardCommands).
  const lease = acquireLease(opened.state, holder, p.now(), p.leaseSeconds, leaseOptions(p.github));
  if (!lease.granted) return report('lease', lease.message, dashboard.number);
  if (lease.took_over !== undefined) {
    log.info(`flowgate: took over the sweep lease of ${lease.took_over.holder}, which expired`);
  }
  try {
    let state = await commands(lease.state);

    // 3. A new sweep, unless the latest one is unfinished.
    const usage = new Map<number, Usage>();
    if (state.current === undefined || ENDED_STATUSES.includes(state.current.status)) {
      const items = await collectSweepItems({
        octokit,
        repo,
        workflow,
        open,
        dashboard: dashboard.number,
        stateKey: p.config.stateKey,
        now: p.now(),
      });
      const now = p.now();
      const started = startSweep(workflow, state, {
        id: `${now.replace(/[^0-9]/g, '').slice(0, 14)}-${holder}`,
        now,
        holder,
        trigger: p.trigger,
        actor: p.actor,
        ...(p.github.runUrl === undefined ? {} : { run_url: p.github.runUrl }),
        definition: p.definition,
        items,
      });
      if (!started.ok) {
        state = await write(releaseLease(started.state, holder));
        return report(started.code === 'busy' ? 'paused' : started.code, started.message, dashboard.number);
      }
      if (started.warning !== undefined) log.warning(`flowgate: sweep of "${name}": ${started.warning}`);
      state = await write(started.state);
    }

    // 4. Batches.
    for (;;) {
      const work = nextWork(workflow, state, p.now());
      if (work.kind !== 'batch') {
        // 5. The end, with its notice on the dashboard when the sweep ended.
        const settled = settleSweep(state, work, p.now());
        const noticed = await postSweepNotice({ octokit, dashboard, workflow, state: settled, log });
        state = await write(releaseLease(noticed, holder));
        const status = state.current?.status ?? 'completed';
        const outcome = status === 'running' || status === 'stopping' ? 'paused' : status;
        const why = state.current?.reason === undefined ? '' : ` (${state.current.reason})`;
        return report(outcome, `sweep ${state.current?.id ?? ''} is ${status}${why}`, dashboard.number);
      }
      const batch = startBatch(workflow, state, work, p.now());
      state = await write(p.github.runUrl === undefined ? batch : addSweepRun(batch, p.github.runUrl));
      log.info(
        `flowgate: sweep of "${name}": ${work.stage} for ${work.items.map((n) => `#${n}`).join(', ')}`,
      );
      const results: ItemResult[] = [];
      for (const number of work.items) {
        if (state.current?.current?.item !== number) {
          // The dashboard shows the item being worked on (startBatch made the first one current).
          state = await showCurrent(setCurrentItem(state, work.stage, number, p.now()));
        }
        const issue = byNumber.get(number);
        if (issue === undefined) {
          results.push({ item: number, outcome: 'skipped', reason: 'it is no longer open' });
          continue;
        }
        try {
          const retry = state.current?.retries?.[String(number)] !== undefined;
          const advance = (trigger: SubjectEvent['trigger'], deliveryId: string) =>
            advanceSubject({
              octokit,
              github: p.github,
              subject: {
                deliveryId,
                repo,
                defaultBranch: p.defaultBranch,
                number,
                isPull: issue.isPull,
                author: issue.author,
                title: issue.title,
                labels: issue.labels,
                state: issue.state,
                trigger,
              },
              // The issue as this job listed it: its text when the sweep (its trigger) started in this job.
              facts: issue,
              config: p.config,
              models: p.models,
              env: p.env,
              ...(p.runCodeStage === undefined ? {} : { runCodeStage: p.runCodeStage }),
              log,
              stage: work.stage,
              // The sweep's end notice names the items waiting for people and mentions their approvers.
              gateNotices: 'sweep-end',
              // Label changes wait until the sweep is done with the item in this job: one write (below).
              heldLabels: heldOf(number),
              now: p.now,
              caches: p.caches,
            });
          const delivery = `sweep:${state.current?.id ?? ''}:${work.stage}:${number}`;
          // A retry is a new request each time it is asked for (its batch tells them apart).
          let advancedRun = await advance(
            triggerOf(state, number, name, p),
            retry ? `${delivery}:retry-${state.current?.stages[work.stage]?.batches ?? 0}` : delivery,
          );
          if (
            retry &&
            runOf(
              name,
              advancedRun.work.map((w) => w.state),
            ) === undefined
          ) {
            // The item failed before its run could start: there is no run to retry, so it starts one.
            advancedRun = await advance(
              { kind: 'start', workflow: name, by: p.trigger === 'cron' ? 'schedule' : p.actor },
              delivery,
            );
          }
          advanced++;
          // The next stage's reconcile starts from the labels this one left, not from the job's listing.
          byNumber.set(number, { ...issue, labels: advancedRun.labels });
          // Done with the item in this job unless its run waits for a later batch's stage: its labels go out now.
          if (advancedRun.left.length === 0) await flushLabels(number);
          const run = runOf(
            name,
            advancedRun.work.map((w) => w.state),
          );
          results.push(itemResult(number, work.stage, run, usage.get(number)));
          if (run !== undefined) usage.set(number, run.usage);
        } catch (error) {
          // Every item would fail the same way: the job stops and says what to set.
          if (error instanceof WriterMismatch) throw error;
          results.push({ item: number, outcome: 'failed', error: toError(error).message });
        }
      }
      state = recordResults(workflow, state, work.stage, results, p.now());
      const renewed = renewLease(state, holder, p.now(), p.leaseSeconds);
      if (!renewed.granted) return report('lost', renewed.message, dashboard.number);
      // Written with the next batch's start, or the sweep's end, which follow at once: one write, not two.
      state = await commands(renewed.state);
    }
  } catch (error) {
    if (error instanceof LostRace) return report('lost', error.message, dashboard.number);
    if (error instanceof WriterMismatch && shown !== undefined) {
      // A job set up wrong stops: it lets go of the lease, so the next job (set up right) need not wait it out.
      try {
        await write(releaseLease(shown, holder));
      } catch (releasing) {
        log.warning(`flowgate: the lease could not be released: ${toError(releasing).message}`);
      }
    }
    throw error;
  } finally {
    // Whatever ended this job's part, the items it moved show where they stand.
    for (const item of [...held.keys()]) {
      try {
        await flushLabels(item);
      } catch (error) {
        log.warning(`flowgate: the labels of #${item} could not be set: ${toError(error).message}`);
      }
    }
  }
}

/** How often, at most, a write only shows the next item being worked on (on the job's clock). */
const CURRENT_ITEM_EVERY_MS = 120_000;

/**
 * How the item's run is asked to go on: started (or continued) by the sweep, or, for an item whose failed run a
 * person asked to try again from the dashboard, a re-run request in that person's name, which the run applies as
 * their `/retry` (a failed run goes on only that way; their permission is checked as for any `/retry`).
 */
function triggerOf(
  state: SweepState,
  item: number,
  workflow: string,
  p: Pick<SweepWorkflowParams, 'trigger' | 'actor'>,
): SubjectEvent['trigger'] {
  const by = state.current?.retries?.[String(item)];
  if (by !== undefined) return { kind: 'rerequested', by };
  return { kind: 'start', workflow, by: p.trigger === 'cron' ? 'schedule' : p.actor };
}

function leaseOptions(github: GitHubInputs) {
  return github.runUrl === undefined ? {} : { run_url: github.runUrl };
}
