import * as core from '@actions/core';
import { createOctokit } from '../github/create-octokit.ts';
import type { ReconcileConfig } from '../reconcile/reconcile-config.ts';
import { toError } from './action-error.ts';
import type { AppLessRoute } from './app-less-route.ts';
import type { CodeStageRunner } from './code-stage.ts';
import { readGitHub, readStateKey } from './inputs.ts';
import type { Models } from './model-types.ts';
import { stepSummary } from './step-summary.ts';
import { parsePace } from './sweep/parse-pace.ts';
import { runSweep } from './sweep/run-sweep.ts';

export interface SweepJobParams {
  route: Extract<AppLessRoute, { mode: 'sweep' }>;
  event: unknown;
  env: NodeJS.ProcessEnv;
  models: Models;
  runCodeStage?: CodeStageRunner;
}

/**
 * A sweep job (the `schedule` event, or "run now"): reads the token and the state key, runs `runSweep`, writes
 * each sweep's summary (status, progress, stages, this job's part) to the job summary, which the dashboard's
 * past sweeps link through the run's page, and fails the step when the sweep could not run (a budget refusal, an
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
  if (github !== undefined) core.setSecret(github.token);
  for (const part of stateKey.split(/[\s,]+/)) if (part.length >= 8) core.setSecret(part);
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
    outputAuthors: ['github-actions[bot]'],
    stateWriter: 'github-actions[bot]',
  };
  try {
    const result = await runSweep({
      octokit: createOctokit({
        token: github.token,
        baseUrl: github.apiUrl,
        resilient: env.FLOWGATE_GITHUB_RESILIENT !== 'false',
        log: core.info,
      }),
      github,
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
    const message = params.models.redactSecrets(toError(thrown).message, {
      ...env,
      FLOWGATE_STATE_KEY: stateKey,
      GITHUB_TOKEN: github.token,
    });
    core.setFailed(`flowgate: the sweep stopped: ${message}`);
  }
}
