import type { PaceLimits } from '../../core/sweep/index.ts';
import { type HookedOcto, paceWrites } from '../../github/pace-writes.ts';
import { loadRepoWorkflows, type RepoWorkflow } from '../../reconcile/load-repo-workflows.ts';
import type { ReconcileConfig } from '../../reconcile/reconcile-config.ts';
import type { DefinitionCache } from '../../reconcile/run-definition.ts';
import { jobMemory } from '../advance-subject.ts';
import type { CodeStageRunner } from '../code-stage.ts';
import type { GitHubInputs } from '../inputs.ts';
import type { Models } from '../model-types.ts';
import type { Log } from '../step-context.ts';
import { JobPacer } from './job-pacer.ts';
import { type SweepReport, sweepWorkflow } from './sweep-workflow.ts';

export interface RunSweepParams {
  /** The job's client: its content-creating requests are paced while the sweeps run (see `paceWrites`). */
  octokit: HookedOcto;
  github: GitHubInputs;
  /** The repository's default branch (the event's `repository.default_branch`): workflows are read there. */
  defaultBranch: string;
  /** This Actions run's id (`GITHUB_RUN_ID`): the lease holder, and part of each sweep's id. */
  runId: string;
  /** A workflow's `name`; undefined sweeps every workflow with `on.schedule` (whose cron is `cron`, when given). */
  workflow?: string;
  /** For a `schedule` event: its `schedule` (the cron line that fired), to sweep only the workflows it belongs to. */
  cron?: string;
  /** `cron` for a `schedule` event, `run-now` for a `workflow_dispatch` asking for a sweep. */
  trigger: 'cron' | 'run-now';
  /** Who asked: `schedule` for cron, else the login that dispatched the run (`github.actor`). */
  actor: string;
  /** The settings the Action uses as the app (its state key, the output authors). */
  config: ReconcileConfig;
  models: Models;
  env: Readonly<Record<string, string | undefined>>;
  runCodeStage?: CodeStageRunner;
  log: Log;
  now?: () => string;
  sleep?: (ms: number) => Promise<void>;
  /** How long the lease runs between renewals (default 900 s: more than a batch takes). */
  leaseSeconds?: number;
  /** GitHub's limits on content creation (default `GITHUB_CONTENT_LIMITS`). */
  pace?: PaceLimits;
  /** The workflows on the default branch, when the job read them already (with their texts in `blobs`). */
  loaded?: { workflows: RepoWorkflow[]; blobs: Map<string, string> };
}

/**
 * The outcomes that fail the job's step (docs/sweeps.md §14): each needs a person before a later run can do
 * better, so the Actions run goes red in the job where it happened.
 */
export const FAILING_OUTCOMES: readonly SweepReport['outcome'][] = [
  'over_budget',
  'failed',
  'budget_stopped',
];

export interface RunSweepResult {
  /** False when a sweep was refused for its budget or a workflow named does not exist: the job's error. */
  ok: boolean;
  sweeps: SweepReport[];
  /** One line per workflow, for the job's log and error. */
  summary: string[];
  /** The job summary (Markdown): each workflow's part (see `renderSweepSummary`), or the line above. */
  markdown: string;
}

/**
 * Runs the scheduled sweeps of a repository in this job: each workflow with `on.schedule` (or the one named), one
 * after the other, each as far as it goes (see `sweepWorkflow`). A sweep another job holds is left to it (not an
 * error); a sweep refused for its budget is the job's error, with the numbers (docs/sweeps.md §9). Every write
 * of the job's client waits for one pacer, which starts from what the dashboards recorded (docs/sweeps.md §10).
 */
export async function runSweep(params: RunSweepParams): Promise<RunSweepResult> {
  const { octokit, log } = params;
  const blobs = params.loaded?.blobs ?? new Map<string, string>();
  const all =
    params.loaded?.workflows ??
    (await loadRepoWorkflows(octokit, params.github.repo, params.defaultBranch, blobs));
  const scheduled = all.filter(
    (w) =>
      w.workflow?.on.schedule !== undefined &&
      (params.workflow === undefined || w.workflow.name === params.workflow) &&
      (params.cron === undefined || w.workflow.on.schedule.cron.includes(params.cron)),
  );
  if (scheduled.length === 0) {
    const what =
      params.workflow === undefined
        ? 'no workflow has on.schedule'
        : `no workflow "${params.workflow}" with on.schedule`;
    const names = all.flatMap((w) => (w.workflow?.on.schedule === undefined ? [] : [w.workflow.name]));
    const message = `${what} in .github/flowgate/ on ${params.defaultBranch}${names.length > 0 ? ` (scheduled: ${names.join(', ')})` : ''}`;
    log.warning(`flowgate: ${message}`);
    return { ok: params.workflow === undefined, sweeps: [], summary: [message], markdown: message };
  }
  // The job reads the workflows once: each item's reconcile and step take them (and their definitions, by blob
  // sha) from here instead of listing `.github/flowgate/` and reading the blob again.
  const definitions: DefinitionCache = new Map(
    all.flatMap((w) => (w.workflow === undefined ? [] : [[w.sha, w.workflow] as const])),
  );
  // What the job learns of each item (its comments, the ETags of what it wrote) serves the item's later stages.
  const caches = {
    blobs,
    definitions,
    labels: new Map<string, Set<string>>(),
    workflows: all,
    ...jobMemory(),
  };
  const now = params.now ?? (() => new Date().toISOString());
  const pace = new JobPacer({
    ...(params.pace === undefined ? {} : { limits: params.pace }),
    now,
    sleep: params.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    log,
  });
  const unpace = paceWrites(octokit, () => pace.beforeWrite());
  const sweeps: SweepReport[] = [];
  try {
    for (const found of scheduled) {
      if (found.workflow === undefined) continue;
      sweeps.push(
        await sweepWorkflow({
          octokit,
          github: params.github,
          defaultBranch: params.defaultBranch,
          workflow: found.workflow,
          definition: found.sha,
          holder: `run-${params.runId}`,
          trigger: params.trigger,
          actor: params.actor,
          config: params.config,
          models: params.models,
          env: params.env,
          ...(params.runCodeStage === undefined ? {} : { runCodeStage: params.runCodeStage }),
          log,
          now,
          pace,
          leaseSeconds: params.leaseSeconds ?? 900,
          caches,
        }),
      );
    }
  } finally {
    unpace();
  }
  return {
    ok: sweeps.every((s) => !FAILING_OUTCOMES.includes(s.outcome)),
    sweeps,
    summary: sweeps.map(
      (s) => `${s.workflow}: ${s.message}${s.dashboard === undefined ? '' : ` (dashboard #${s.dashboard})`}`,
    ),
    markdown: sweeps.map((s) => s.summary).join('\n\n'),
  };
}
