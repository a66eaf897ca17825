import * as core from '@actions/core';
import { createOctokit, type GitHubClient } from '../github/create-octokit.ts';
import type { AppLessRoute } from './app-less-route.ts';
import type { CodeStageRunner } from './code-stage.ts';
import { jobCodeStage } from './job-code-stage.ts';
import type { Models } from './model-types.ts';
import { runAppLess } from './run-app-less.ts';
import { stepSummary } from './step-summary.ts';

export interface AppLessJobParams {
  route: AppLessRoute;
  event: unknown;
  env: NodeJS.ProcessEnv;
  models: Models;
  runCodeStage?: CodeStageRunner;
  /** The job's GitHub client, built already (with the subject's first read on its way: `earlyListing`). */
  octokit?: GitHubClient;
}

/**
 * The Action alone on one event: ignores what is not for flowgate (with the reason in the log), else runs
 * `runAppLess` and reports as the dispatch mode does: outputs (`outcome` posted, idle or failed; `comment-url`),
 * a step summary, annotations and a failed step when a stage step or the job failed. Never throws.
 */
export async function appLessJob(params: AppLessJobParams): Promise<void> {
  const { route, env } = params;
  if (route.mode === 'dispatch' || route.mode === 'sweep') return;
  if (route.mode === 'ignore') {
    core.info(`flowgate: nothing to do: ${route.reason}`);
    core.setOutput('outcome', 'idle');
    await stepSummary(`Nothing to do: ${route.reason}.`);
    return;
  }
  const result = await runAppLess({
    route,
    source: { input: (name) => core.getInput(name), env, event: params.event },
    models: params.models,
    octokitFor: (github) =>
      params.octokit ??
      createOctokit({
        token: github.token,
        baseUrl: github.apiUrl,
        resilient: env.FLOWGATE_GITHUB_RESILIENT !== 'false',
        log: core.info,
      }),
    codeStageFor: (github, defaultBranch) => params.runCodeStage ?? jobCodeStage(env, github, defaultBranch),
    log: { info: core.info, warning: core.warning },
    secret: core.setSecret,
  });
  if (!result.ok) {
    core.setOutput('outcome', 'failed');
    await stepSummary(result.error);
    core.setFailed(result.error);
    return;
  }
  core.setOutput('outcome', result.outcome);
  core.setOutput('comment-url', result.commentUrl);
  for (const failure of result.failures) {
    for (const a of failure.annotations) {
      core.error(a.message, { file: a.file, startLine: a.line, startColumn: a.col });
    }
  }
  await stepSummary(result.lines.join('\n\n'));
  if (result.failures.length > 0) {
    core.setFailed(result.failures.map((f) => f.error).join('; '));
  }
}
