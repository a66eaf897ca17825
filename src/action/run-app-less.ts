import { PERMISSIONS, type Permission } from '../core/schema/gate.ts';
import { getIssue } from '../github/get-issue.ts';
import type { Octo } from '../github/types.ts';
import type { ReconcileConfig } from '../reconcile/reconcile-config.ts';
import { type SubjectEvent, timerSubjectOf } from '../reconcile/subject-event.ts';
import type { Annotation } from './action-error.ts';
import { toError } from './action-error.ts';
import { advanceSubject } from './advance-subject.ts';
import type { AppLessRoute } from './app-less-route.ts';
import type { CodeStageRunner } from './code-stage.ts';
import { type GitHubInputs, type InputSource, readGitHub, readStateKey, readWriter } from './inputs.ts';
import type { Models } from './model-types.ts';
import type { Log } from './step-context.ts';

export interface AppLessParams {
  route: Extract<AppLessRoute, { mode: 'subject' | 'look' }>;
  source: InputSource;
  models: Models;
  /** Builds the GitHub client once the inputs are read. */
  octokitFor: (github: GitHubInputs) => Octo;
  /** Builds the code stage runner for the subject's default branch. */
  codeStageFor: (github: GitHubInputs, defaultBranch: string) => CodeStageRunner | undefined;
  log: Log;
  /** Called with the secrets read from the inputs, before any is used (to mask them in the log). */
  secret: (value: string) => void;
}

export type AppLessResult =
  | {
      ok: true;
      /** posted: at least one step posted its output; idle: no step was asked for (a gate waits). */
      outcome: 'posted' | 'idle' | 'failed';
      /** One line per step run, and where each run on the subject stands. */
      lines: string[];
      /** Steps that failed (their failure outputs are on the subject), with their annotations. */
      failures: { error: string; annotations: readonly Annotation[] }[];
      commentUrl: string;
    }
  | { ok: false; error: string };

/**
 * The Action alone, without the app: reads the token, the state key and `start-permission`, then brings the
 * subject as far as it goes in this job (`advanceSubject`): the app's reconcile, each stage step run in place.
 * A `workflow_dispatch` that names only a subject reads the subject's facts from GitHub first. Never throws.
 */
export async function runAppLess(params: AppLessParams): Promise<AppLessResult> {
  const { source, route, log } = params;
  const problems: string[] = [];
  const github = readGitHub(source, problems);
  const stateKey = readStateKey(source, problems, 'sign');
  const writer = readWriter(source, problems);
  const permission = source.input('start-permission').trim() || 'write';
  if (!(PERMISSIONS as readonly string[]).includes(permission)) {
    problems.push(
      `the input "start-permission" must be one of ${PERMISSIONS.join(', ')}, not ${JSON.stringify(permission)}`,
    );
  }
  if (github !== undefined) params.secret(github.token);
  for (const part of stateKey.split(/[\s,]+/)) if (part.length >= 8) params.secret(part);
  if (problems.length > 0 || github === undefined) {
    return { ok: false, error: `flowgate cannot start: ${problems.join('; ')}` };
  }
  const redact = (text: string) =>
    params.models.redactSecrets(text, {
      ...source.env,
      FLOWGATE_STATE_KEY: stateKey,
      GITHUB_TOKEN: github.token,
    });
  try {
    const octokit = params.octokitFor(github);
    const named = route.mode === 'subject' ? route.subject : await lookAt(octokit, route);
    // The repository (and its id, which run states are bound to) as the runner names it, not as the event does.
    const subject = { ...named, repo: github.repo };
    log.info(
      `flowgate: ${subject.isPull ? 'pull request' : 'issue'} #${subject.number}, on ${subject.trigger.kind}`,
    );
    const config: ReconcileConfig = {
      stateKey,
      actionsWorkflow: '',
      startPermission: permission as Permission,
      ...writer,
    };
    const runCodeStage = params.codeStageFor(github, subject.defaultBranch);
    const result = await advanceSubject({
      octokit,
      github,
      subject,
      config,
      models: params.models,
      env: source.env,
      ...(runCodeStage === undefined ? {} : { runCodeStage }),
      log,
    });
    const lines: string[] = [];
    const failures: { error: string; annotations: readonly Annotation[] }[] = [];
    let commentUrl = '';
    for (const { request, outcome } of result.steps) {
      const what = `\`${request.stage}\` (${request.step}, attempt ${request.attempt})`;
      if (outcome.outcome === 'posted') {
        commentUrl = outcome.comments[0]?.url ?? commentUrl;
        lines.push(`Ran ${what}: posted the ${outcome.kind}: ${outcome.comments[0]?.url ?? ''}`);
      } else if (outcome.outcome === 'stale') {
        lines.push(`Skipped ${what}: ${outcome.reason}`);
      } else {
        failures.push({ error: outcome.error, annotations: outcome.annotations });
        lines.push(`Ran ${what}: failed: ${outcome.error}`);
      }
    }
    if (result.steps.length === 0) lines.push(`No stage step to run on #${subject.number}.`);
    for (const run of result.work)
      lines.push(`Run ${run.state.id}: ${run.state.status} at \`${run.state.stage}\`.`);
    if (result.left.length > 0) {
      lines.push(`Stopped after ${result.steps.length} steps; the next event on #${subject.number} goes on.`);
    }
    const outcome = failures.length > 0 ? 'failed' : commentUrl !== '' ? 'posted' : 'idle';
    return { ok: true, outcome, lines, failures, commentUrl };
  } catch (thrown) {
    return { ok: false, error: redact(toError(thrown).message) };
  }
}

/** The subject a `workflow_dispatch` names, with its facts as GitHub has them now. */
async function lookAt(octokit: Octo, route: Extract<AppLessRoute, { mode: 'look' }>): Promise<SubjectEvent> {
  const issue = await getIssue(octokit, { ...route.repo, number: route.number });
  return timerSubjectOf(issue, {
    deliveryId: route.deliveryId,
    repo: route.repo,
    defaultBranch: route.defaultBranch,
  });
}
