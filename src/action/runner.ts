import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { createOctokit } from '../github/create-octokit.ts';
import { listIssueComments } from '../github/list-issue-comments.ts';
import { toError } from './action-error.ts';
import { appLessRoute } from './app-less-route.ts';
import type { CodeStageRunner } from './code-stage.ts';
import { earlyListing } from './early-listing.ts';
import { type InputsResult, readInputs } from './inputs.ts';
import type { Models } from './model-types.ts';
import { requestSent } from './request-sent.ts';
import type { ActionOutcome } from './run-action.ts';
import { stepSummary } from './step-summary.ts';

export interface RunnerDeps {
  models: Models;
  /** Default: the agent runner of src/agent, in GITHUB_WORKSPACE. */
  runCodeStage?: CodeStageRunner;
  env?: NodeJS.ProcessEnv;
}

/** Environment variables whose values are secrets (as src/providers redacts them): masked in the log. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD/i;

/**
 * The Action as a runner starts it. Without the six step inputs, on an issue, comment, pull request or review
 * event (or a workflow_dispatch naming only `subject`), it works alone: `appLessJob`. Otherwise it reads the
 * inputs (with:, the workflow_dispatch event, the environment), masks the secrets, builds the GitHub client, runs `runAction`, and reports the outcome as step outputs, a step
 * summary and, on failure, annotations and a failed step. Never throws.
 *
 * Start-up time: this module loads only what every job needs before its first request (the toolkit, the inputs,
 * the GitHub client). Each mode's code (a sweep, the Action alone, a step: the engine, the workflow schema, the
 * templates) is imported when the job turns out to be of that mode; a step starts listing the subject's comments
 * (its first request) before its code loads, so that the two overlap.
 */
export async function runner(deps: RunnerDeps): Promise<void> {
  const env = deps.env ?? process.env;
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= 8 && SECRET_NAME.test(name)) core.setSecret(value);
  }
  const event = readEvent(env, core.warning);
  // Without the six step inputs, the Action works alone: the event names a subject to bring forward.
  const route = appLessRoute({
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload: event,
    input: (name) => core.getInput(name),
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
  });
  if (route.mode === 'sweep') {
    const { sweepJob } = await import('./sweep-job.ts');
    await sweepJob({
      route,
      event,
      env,
      models: deps.models,
      ...(deps.runCodeStage === undefined ? {} : { runCodeStage: deps.runCodeStage }),
    });
    return;
  }
  if (route.mode !== 'dispatch') {
    // The reconcile's first read leaves first; the engine loads while it is on its way.
    const early =
      route.mode === 'subject'
        ? earlyListing({ input: (name) => core.getInput(name), env, event }, route.subject)
        : undefined;
    if (early !== undefined) await requestSent(early.sent);
    const { appLessJob } = await import('./app-less-job.ts');
    await appLessJob({
      route,
      event,
      env,
      models: deps.models,
      ...(early === undefined ? {} : { octokit: early.octokit }),
      ...(deps.runCodeStage === undefined ? {} : { runCodeStage: deps.runCodeStage }),
    });
    return;
  }
  const read = readInputs({ input: (name) => core.getInput(name), env, event });
  if (read.ok) {
    core.setSecret(read.inputs.github.token);
    core.setSecret(read.inputs.stateKey);
  }
  const redact = (text: string) => deps.models.redactSecrets(text, env);
  if (!read.ok) {
    await reportBadInputs(read, redact);
    return;
  }
  const { inputs } = read;
  const octokit = createOctokit({
    token: inputs.github.token,
    baseUrl: inputs.github.apiUrl,
    resilient: env.FLOWGATE_GITHUB_RESILIENT !== 'false',
    log: core.info,
  });
  const { dispatch } = inputs;
  core.info(
    `flowgate: run ${dispatch.runId}, #${dispatch.subject}, stage "${dispatch.stage}" attempt ${dispatch.attempt}, step ${dispatch.step} (nonce ${dispatch.nonce})`,
  );
  // The first request leaves first; the step's code loads while it is on its way (runAction awaits it).
  const listing = listIssueComments(octokit, { ...inputs.github.repo, number: dispatch.subject });
  listing.catch(() => {}); // a failed listing is runAction's to report; meanwhile it is no unhandled rejection
  let outcome: ActionOutcome;
  try {
    await requestSent(listing);
    const [{ runAction }, { jobCodeStage }] = await Promise.all([
      import('./run-action.ts'),
      import('./job-code-stage.ts'),
    ]);
    outcome = await runAction({
      inputs,
      octokit,
      listing,
      models: deps.models,
      env,
      runCodeStage: deps.runCodeStage ?? jobCodeStage(env, inputs.github, env.GITHUB_REF_NAME),
      log: { info: core.info, warning: core.warning },
    });
  } catch (thrown) {
    outcome = { outcome: 'failed', error: redact(toError(thrown).message), annotations: [], comments: [] };
  }
  await report(outcome);
}

async function report(outcome: ActionOutcome): Promise<void> {
  core.setOutput('outcome', outcome.outcome);
  if (outcome.outcome === 'stale') {
    await stepSummary(`No output: this dispatch is no longer current (${outcome.reason}).`);
    return;
  }
  core.setOutput('kind', outcome.outcome === 'posted' ? outcome.kind : 'failure');
  core.setOutput('comment-url', outcome.comments[0]?.url ?? '');
  if (outcome.outcome === 'posted') {
    const n = outcome.comments.length;
    await stepSummary(
      `Posted the ${outcome.kind} in ${n} comment${n === 1 ? '' : 's'}: ${outcome.comments[0]?.url ?? ''}`,
    );
    return;
  }
  for (const a of outcome.annotations) {
    core.error(a.message, { file: a.file, startLine: a.line, startColumn: a.col });
  }
  await stepSummary(`Failed: ${outcome.error}`);
  core.setFailed(outcome.error);
}

/** Inputs that cannot be used: the failure is reported, and posted as a failure output when the run is known. */
async function reportBadInputs(read: Extract<InputsResult, { ok: false }>, redact: (t: string) => string) {
  const message = `flowgate cannot start: ${read.problems.join('; ')}`;
  core.setOutput('outcome', 'failed');
  core.setOutput('kind', 'failure');
  if (read.dispatch !== undefined && read.github !== undefined) {
    const { dispatch, github } = read;
    core.setSecret(github.token);
    try {
      const [{ failureBody }, { postOutputs }] = await Promise.all([
        import('./output-bodies.ts'),
        import('./post-outputs.ts'),
      ]);
      const octokit = createOctokit({
        token: github.token,
        baseUrl: github.apiUrl,
        resilient: process.env.FLOWGATE_GITHUB_RESILIENT !== 'false',
        log: core.info,
      });
      const issue = { ...github.repo, number: dispatch.subject };
      const [posted] = await postOutputs(
        octokit,
        issue,
        [failureBody(dispatch, redact(message), github.runUrl)],
        [],
      );
      core.setOutput('comment-url', posted?.url ?? '');
    } catch (error) {
      core.warning(`the failure output could not be posted: ${redact(toError(error).message)}`);
    }
  }
  await stepSummary(redact(message));
  core.setFailed(redact(message));
}

/** The event payload at GITHUB_EVENT_PATH, or undefined (with a warning when the file cannot be read). */
function readEvent(env: NodeJS.ProcessEnv, warn: (message: string) => void): unknown {
  const path = env.GITHUB_EVENT_PATH;
  if (path === undefined || path === '') return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    warn(`the event payload at GITHUB_EVENT_PATH cannot be read: ${toError(error).message}`);
    return undefined;
  }
}
