import type { Workflow } from '../../core/workflow.ts';
import { listIssueComments } from '../../github/list-issue-comments.ts';
import type { ListedIssue } from '../../github/list-open-issues.ts';
import { listOpenIssues } from '../../github/list-open-issues.ts';
import type { Octo } from '../../github/types.ts';
import type { RepoWorkflow } from '../../reconcile/load-repo-workflows.ts';
import { readRuns } from '../../reconcile/read-runs.ts';
import type { ReconcileConfig } from '../../reconcile/reconcile-config.ts';
import type { DefinitionCache } from '../../reconcile/run-definition.ts';
import { timerSubjectOf } from '../../reconcile/subject-event.ts';
import type { Annotation } from '../action-error.ts';
import { toError } from '../action-error.ts';
import { advanceSubject } from '../advance-subject.ts';
import type { CodeStageRunner } from '../code-stage.ts';
import type { GitHubInputs } from '../inputs.ts';
import type { Models } from '../model-types.ts';
import type { Log } from '../step-context.ts';
import { dueTime, timerLabels } from './due-time.ts';

export interface FireDueTimersParams {
  octokit: Octo;
  github: GitHubInputs;
  defaultBranch: string;
  /** The workflows in `.github/flowgate/` on the default branch, as the job read them. */
  workflows: RepoWorkflow[];
  /** The files' texts by blob sha, as read with `workflows`. */
  blobs: Map<string, string>;
  config: ReconcileConfig;
  models: Models;
  env: Readonly<Record<string, string | undefined>>;
  runCodeStage?: CodeStageRunner;
  /** This job's delivery id (`<GITHUB_RUN_ID>-<GITHUB_RUN_ATTEMPT>`): each reconcile's own is derived from it. */
  deliveryId: string;
  log: Log;
  now?: () => string;
}

export interface FireDueTimersResult {
  /**
   * Open issues and pull requests listed, those carrying a label of a run that may have a due time (`timerLabels`),
   * and those with a run whose time had come.
   */
  open: number;
  labelled: number;
  due: number[];
  /** One line per subject reconciled (and per step run there), for the job summary. */
  lines: string[];
  /** Steps that failed, and subjects whose reconcile threw: the job fails, after every due subject was tried. */
  failures: { error: string; annotations: readonly Annotation[] }[];
}

/**
 * The timers tick of the Action alone (there is no process to hold a timer): finds the runs whose time has come
 * and reconciles their subjects with a timer trigger, which fires whatever is due (a step's deadline, the end of a
 * `delay`, an `archive` day) and runs the stage steps that follow, as any event's job does. The runs are found by
 * their labels: the open issues and pull requests are listed, those carrying a label a run of a workflow on the
 * default branch sets while it may have a due time are read (their comments, where the signed status comments
 * hold each run's state, verified with the state key), and only those with a due time at or before now are
 * reconciled. Firing again changes nothing: the engine has applied that timer already. Cost: ceil(open items /
 * 100) GETs, one GET per labelled subject (more past 100 comments), and a reconcile per due subject.
 */
export async function fireDueTimers(params: FireDueTimersParams): Promise<FireDueTimersResult> {
  const { octokit, github, log } = params;
  const now = params.now ?? (() => new Date().toISOString());
  const loaded = params.workflows.flatMap((w) => (w.workflow === undefined ? [] : [w]));
  const labels = timerLabels(loaded.map((w) => w.workflow as Workflow));
  const open = await listOpenIssues(octokit, github.repo);
  const labelled = open.filter((issue) => issue.labels.some((label) => labels.has(label)));
  const definitions: DefinitionCache = new Map(loaded.map((w) => [w.sha, w.workflow as Workflow] as const));
  const byName = new Map(loaded.map((w) => [(w.workflow as Workflow).name, w.workflow as Workflow] as const));
  const caches = {
    blobs: params.blobs,
    definitions,
    labels: new Map<string, Set<string>>(),
    workflows: params.workflows,
  };
  const result: FireDueTimersResult = {
    open: open.length,
    labelled: labelled.length,
    due: [],
    lines: [],
    failures: [],
  };
  for (const issue of labelled) {
    // One subject that cannot be read or reconciled does not stop the others: the job fails at the end.
    try {
      const due = await dueRuns(params, issue.number, definitions, byName, Date.parse(now()));
      if (due.length === 0) continue;
      result.due.push(issue.number);
      log.info(`flowgate: #${issue.number}: due: ${due.join(', ')}`);
      await fire(params, issue, caches, result);
    } catch (thrown) {
      const message = toError(thrown).message;
      result.failures.push({ error: `#${issue.number}: ${message}`, annotations: [] });
      result.lines.push(`#${issue.number}: the timers could not be fired: ${message}`);
    }
  }
  return result;
}

/**
 * The runs on subject `number` whose time has come (at or before `at`), as `run <id> (<time>)`: read from the
 * status comments, each state verified with the state key (one that does not verify is logged, and fires nothing).
 */
async function dueRuns(
  params: FireDueTimersParams,
  number: number,
  definitions: DefinitionCache,
  byName: ReadonlyMap<string, Workflow>,
  at: number,
): Promise<string[]> {
  const { github, log } = params;
  const comments = await listIssueComments(params.octokit, { ...github.repo, number });
  const { runs, broken } = readRuns(comments, params.config.stateKey, { id: github.repo.id, number });
  for (const run of broken) log.warning(`flowgate: #${number}: run ${run.runId}: ${run.message}`);
  return runs.flatMap(({ state }) => {
    const workflow = definitions.get(state.definition) ?? byName.get(state.workflow);
    const time = dueTime(state, workflow, comments);
    return time !== undefined && Date.parse(time) <= at ? [`run ${state.id} (${time})`] : [];
  });
}

/** Reconciles one subject with a timer trigger and runs the steps that follow (`advanceSubject`). */
async function fire(
  params: FireDueTimersParams,
  issue: ListedIssue,
  caches: Parameters<typeof advanceSubject>[0]['caches'],
  result: FireDueTimersResult,
): Promise<void> {
  const advanced = await advanceSubject({
    octokit: params.octokit,
    github: params.github,
    subject: timerSubjectOf(issue, {
      deliveryId: `${params.deliveryId}:timer:${issue.number}`,
      repo: params.github.repo,
      defaultBranch: params.defaultBranch,
    }),
    facts: issue,
    config: params.config,
    models: params.models,
    env: params.env,
    ...(params.runCodeStage === undefined ? {} : { runCodeStage: params.runCodeStage }),
    log: params.log,
    ...(params.now === undefined ? {} : { now: params.now }),
    ...(caches === undefined ? {} : { caches }),
  });
  for (const { request, outcome } of advanced.steps) {
    const what = `#${issue.number}: \`${request.stage}\` (${request.step}, attempt ${request.attempt})`;
    if (outcome.outcome === 'posted') {
      result.lines.push(`Ran ${what}: posted the ${outcome.kind}: ${outcome.comments[0]?.url ?? ''}`);
    } else if (outcome.outcome === 'stale') {
      result.lines.push(`Skipped ${what}: ${outcome.reason}`);
    } else {
      result.failures.push({ error: outcome.error, annotations: outcome.annotations });
      result.lines.push(`Ran ${what}: failed: ${outcome.error}`);
    }
  }
  for (const { state } of advanced.work) {
    result.lines.push(`#${issue.number}: run ${state.id}: ${state.status} at \`${state.stage}\`.`);
  }
  if (advanced.left.length > 0) {
    result.lines.push(
      `#${issue.number}: stopped after ${advanced.steps.length} steps; the next event goes on.`,
    );
  }
}
