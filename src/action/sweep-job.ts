import * as core from '@actions/core';
import { PERMISSIONS, type Permission } from '../core/schema/gate.ts';
import { createOctokit } from '../github/create-octokit.ts';
import type { Octo } from '../github/types.ts';
import { loadRepoWorkflows, type RepoWorkflow } from '../reconcile/load-repo-workflows.ts';
import type { ReconcileConfig } from '../reconcile/reconcile-config.ts';
import { toError } from './action-error.ts';
import type { AppLessRoute } from './app-less-route.ts';
import type { CodeStageRunner } from './code-stage.ts';
import { type GitHubInputs, readGitHub, readStateKey, readWriter } from './inputs.ts';
import { jobCodeStage } from './job-code-stage.ts';
import type { Models } from './model-types.ts';
import { stepSummary } from './step-summary.ts';
import { parsePace } from './sweep/parse-pace.ts';
import { runSweep } from './sweep/run-sweep.ts';
import { fireDueTimers } from './timers/fire-due-timers.ts';

export interface SweepJobParams {
  route: Extract<AppLessRoute, { mode: 'sweep' }>;
  event: unknown;
  env: NodeJS.ProcessEnv;
  models: Models;
  runCodeStage?: CodeStageRunner;
}

/**
 * A `schedule` event or a "run now" sweep. With the input `timers: true`, a `schedule` event whose cron line is a
 * line of no workflow's `on.schedule` is the timers tick of the Action alone (`timersJob`). Otherwise this is a
 * sweep job: reads the
 * token and the state key, runs `runSweep`, writes each sweep's summary (status, progress, stages, this job's
 * part) to the job summary, which the dashboard's past sweeps link through the run's page, and fails the step when the sweep could not run (a budget refusal, an
 * unknown workflow, a dashboard that cannot be trusted, an error GitHub or the runner threw). A lease held by
 * another job, a sweep another job took over, a paused, failed or budget-stopped sweep are not failures of the
 * job: the dashboard says what to do (docs/sweeps.md §14). Never throws.
 */
export async function sweepJob(params: SweepJobParams): Promise<void> {
  const { route, env } = params;
  const source = { input: (name: string) => core.getInput(name), env, event: params.event };
  const problems: string[] = [];
  const github = readGitHub(source, problems);
  const stateKey = readStateKey(source, problems, 'sign');
  const writer = readWriter(source, problems);
  if (github !== undefined) core.setSecret(github.token);
  for (const part of stateKey.split(/[\s,]+/)) if (part.length >= 8) core.setSecret(part);
  const timers = core.getInput('timers').trim();
  if (!['', 'true', 'false'].includes(timers)) {
    problems.push(`the input "timers" must be true or false, not ${JSON.stringify(timers)}`);
  }
  const paceText = core.getInput('sweep-pace');
  const pace = paceText.trim() === '' ? undefined : parsePace(paceText);
  if (pace !== undefined && !pace.ok) problems.push(pace.message);
  if (problems.length > 0 || github === undefined) {
    core.setFailed(`flowgate cannot start the sweep: ${problems.join('; ')}`);
    return;
  }
  const config: ReconcileConfig = {
    stateKey,
    actionsWorkflow: '',
    startPermission: 'write',
    ...writer,
  };
  const redact = (text: string) =>
    params.models.redactSecrets(text, { ...env, FLOWGATE_STATE_KEY: stateKey, GITHUB_TOKEN: github.token });
  let loaded: { workflows: RepoWorkflow[]; blobs: Map<string, string> } | undefined;
  let what = 'the sweep';
  try {
    const octokit = createOctokit({
      token: github.token,
      baseUrl: github.apiUrl,
      resilient: env.FLOWGATE_GITHUB_RESILIENT !== 'false',
      log: core.info,
    });
    // Opted in (`timers: true`, the Action alone): a cron line no workflow sweeps is the timers tick.
    if (route.trigger === 'cron' && route.cron !== undefined && timers === 'true') {
      const blobs = new Map<string, string>();
      const workflows = await loadRepoWorkflows(octokit, github.repo, route.defaultBranch, blobs);
      const cron = route.cron;
      if (!workflows.some((w) => w.workflow?.on.schedule?.cron.includes(cron) === true)) {
        what = 'the timers tick';
        await timersJob({ ...params, octokit, github, config, workflows, blobs, redact });
        return;
      }
      loaded = { workflows, blobs };
    }
    const result = await runSweep({
      octokit,
      github,
      ...(loaded === undefined ? {} : { loaded }),
      defaultBranch: route.defaultBranch,
      runId: env.GITHUB_RUN_ID ?? 'local',
      ...(route.workflow === undefined ? {} : { workflow: route.workflow }),
      ...(route.cron === undefined ? {} : { cron: route.cron }),
      trigger: route.trigger,
      ...(pace?.ok === true ? { pace: pace.limits } : {}),
      actor: route.actor,
      config,
      models: params.models,
      env,
      ...(params.runCodeStage === undefined ? {} : { runCodeStage: params.runCodeStage }),
      log: { info: core.info, warning: core.warning },
    });
    await stepSummary(result.markdown);
    core.setOutput('outcome', result.ok ? 'posted' : 'failed');
    if (!result.ok) core.setFailed(result.summary.join(' ') || 'the sweep could not run');
  } catch (thrown) {
    core.setFailed(`flowgate: ${what} stopped: ${redact(toError(thrown).message)}`);
  }
}

/**
 * The timers tick (docs/run-model.md, "Timers"): fires the due timers of the repository's open runs
 * (`fireDueTimers`), writes what it did to the job summary, and fails the step when a stage step failed or a
 * subject could not be reconciled (after trying every due subject).
 */
async function timersJob(
  params: SweepJobParams & {
    octokit: Octo;
    github: GitHubInputs;
    config: ReconcileConfig;
    workflows: RepoWorkflow[];
    blobs: Map<string, string>;
    redact: (text: string) => string;
  },
): Promise<void> {
  const { env, github, route } = params;
  // As on any event's job: who may start a run with a command the tick finds unapplied.
  const permission = core.getInput('start-permission').trim() || 'write';
  if (!(PERMISSIONS as readonly string[]).includes(permission)) {
    core.setFailed(
      `flowgate cannot fire the timers: the input "start-permission" must be one of ${PERMISSIONS.join(', ')}, not ${JSON.stringify(permission)}`,
    );
    return;
  }
  const config: ReconcileConfig = { ...params.config, startPermission: permission as Permission };
  const runCodeStage = params.runCodeStage ?? jobCodeStage(env, github, route.defaultBranch);
  core.info(`flowgate: the schedule "${route.cron}" is no sweep's: firing the due timers`);
  const result = await fireDueTimers({
    octokit: params.octokit,
    github,
    defaultBranch: route.defaultBranch,
    workflows: params.workflows,
    blobs: params.blobs,
    config,
    models: params.models,
    env,
    runCodeStage,
    deliveryId: `${env.GITHUB_RUN_ID || 'local'}-${env.GITHUB_RUN_ATTEMPT || '1'}`,
    log: { info: core.info, warning: core.warning },
  });
  const head = `Timers: ${result.open} open issues and pull requests, ${result.labelled} with a label of a run that may have a due time, ${result.due.length} due${result.due.length === 0 ? '' : ` (${result.due.map((n) => `#${n}`).join(', ')})`}.`;
  core.info(`flowgate: ${head}`);
  for (const line of result.lines) core.info(`flowgate: ${line}`);
  for (const failure of result.failures) {
    for (const a of failure.annotations) {
      core.error(a.message, { file: a.file, startLine: a.line, startColumn: a.col });
    }
  }
  await stepSummary([head, ...result.lines].map(params.redact).join('\n\n'));
  core.setOutput(
    'outcome',
    result.failures.length > 0 ? 'failed' : result.due.length > 0 ? 'posted' : 'idle',
  );
  if (result.failures.length > 0)
    core.setFailed(params.redact(result.failures.map((f) => f.error).join('; ')));
}
