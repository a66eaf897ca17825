import { defuseMentions } from '../core/markdown/defuse-mentions.ts';
import { decodeStateBlock } from '../core/state/decode-state.ts';
import type { RunState } from '../core/state/run-state.ts';
import { stageById } from '../core/workflow.ts';
import { getComment, getCommentIfChanged } from '../github/get-comment.ts';
import type { IssueInfo } from '../github/get-issue.ts';
import type { KeyedCache } from '../github/keyed-cache.ts';
import { listIssueComments } from '../github/list-issue-comments.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import { fileHeading } from '../reconcile/file-heading.ts';
import type { DefinitionCache } from '../reconcile/run-definition.ts';
import { ActionError, type Annotation, toError } from './action-error.ts';
import { alreadyAnswered } from './already-answered.ts';
import type { CodeStageRunner } from './code-stage.ts';
import { commitOutputFile } from './commit-output-file.ts';
import { dispatchStaleness } from './dispatch-staleness.ts';
import { doStep } from './do-step.ts';
import { assertStatusWrittenByFlowgate, findRunState } from './find-run-state.ts';
import type { ActionInputs } from './inputs.ts';
import { loadDefinition } from './load-definition.ts';
import type { Models } from './model-types.ts';
import { failureBody, outputBodies } from './output-bodies.ts';
import { postOutputs } from './post-outputs.ts';
import type { Log } from './step-context.ts';

export interface RunActionParams {
  inputs: ActionInputs;
  octokit: Octo;
  /**
   * Definitions this job loaded already, by blob sha (a sweep shares one across its items): the run's definition
   * is taken from here when present, and added once read.
   */
  definitions?: DefinitionCache;
  /**
   * Every comment of the subject, listed moments ago in this job (by the reconcile that asked for this step, with
   * its own writes in them): taken instead of listing them again. Absent: listed here.
   */
  comments?: readonly IssueComment[];
  /**
   * The listing of the subject's comments, already on its way (the runner starts it while this step's code
   * loads): awaited instead of listing them again, and checked here as a listing of its own is. Ignored when
   * `comments` is given.
   */
  listing?: Promise<IssueComment[]>;
  /** The subject as this job read it already (see `StepContext.subject`). Absent: read when a prompt needs it. */
  subject?: IssueInfo;
  models: Models;
  /** The environment provider keys are read from; also every secret in it is redacted from what is posted. */
  env: Readonly<Record<string, string | undefined>>;
  runCodeStage?: CodeStageRunner;
  log: Log;
  /**
   * Which versions of comments this job knows to be flowgate's writing (a sweep's reconciles wrote or checked them):
   * a status comment it vouches for needs no question to GitHub about its last editor. Absent: asked when edited.
   */
  vouched?: (comment: IssueComment) => boolean;
  /** Who else writes run state (the reconcile's `stateWriter` and the Action's logins), when this is not the app's step. */
  writers?: { stateWriter?: string; actionLogins?: readonly string[] };
  /**
   * The ETag and rev of the status comments this job wrote last (see `ReconcileDeps.etags`): the re-read before
   * the output is posted is then conditional (a free 304 while nobody wrote since). Absent: a plain read.
   */
  etags?: KeyedCache<{ etag: string; rev: number }>;
}

export type ActionOutcome =
  | { outcome: 'posted'; kind: 'prompt' | 'response' | 'approver'; comments: IssueComment[] }
  /** The dispatch is no longer current: nothing was posted. */
  | { outcome: 'stale'; reason: string }
  | {
      outcome: 'failed';
      /** What went wrong, secrets redacted. */
      error: string;
      annotations: readonly Annotation[];
      /** The failure output, when it could be posted. */
      comments: IssueComment[];
    };

/**
 * One run of the flowgate Action (docs/action-contract.md §2):
 * 1. read the run's state from its status comment (signed; a bad block is a failure);
 * 2. check the dispatch is still the one the run waits for and has no output yet (a re-run of the job), else
 *    stop quietly;
 * 3. load the workflow definition the run started with;
 * 4. do the step (prompt, response, approver);
 * 5. check again that the dispatch is current, and post the output comments.
 * Any failure posts a `failure` output instead; never half a result.
 */
export async function runAction(params: RunActionParams): Promise<ActionOutcome> {
  const { inputs, octokit, log } = params;
  const { dispatch } = inputs;
  const issue: IssueRef = { ...inputs.github.repo, number: dispatch.subject };
  const clean = (text: string) =>
    params.models.redactSecrets(text, {
      ...params.env,
      FLOWGATE_STATE_KEY: inputs.stateKey,
      GITHUB_TOKEN: inputs.github.token,
    });
  let comments: IssueComment[] = [];
  try {
    // 1. The run, as its status comment holds it.
    comments =
      params.comments !== undefined
        ? [...params.comments]
        : await (params.listing ?? listIssueComments(octokit, issue));
    const { state, comment: status } = findRunState(
      comments,
      dispatch.runId,
      dispatch.subject,
      inputs.stateKey,
      issue.id,
    );
    // Comments a reconcile of this job handed over were checked there; listed here, the status is checked here.
    if (params.comments === undefined && params.vouched?.(status) !== true) {
      await assertStatusWrittenByFlowgate(
        octokit,
        status,
        dispatch.runId,
        inputs.stateKey,
        issue,
        params.writers,
      );
    }

    // 2. Still current?
    const stale = dispatchStaleness(state, dispatch);
    if (stale !== undefined) return quiet(log, stale);
    const answered = alreadyAnswered(comments, dispatch);
    if (answered !== undefined) return quiet(log, `it was answered already: ${answered.url}`);

    // 3. The definition the run started with.
    const workflow =
      params.definitions?.get(state.definition) ??
      (await loadDefinition(octokit, inputs.github.repo, state, inputs.workflowFile));
    params.definitions?.set(state.definition, workflow);
    const stage = stageById(workflow, dispatch.stage);
    const record = state.stages[dispatch.stage];
    if (stage === undefined || record === undefined) {
      throw new ActionError(`the run's workflow "${workflow.name}" has no stage "${dispatch.stage}"`);
    }

    // 4. The step.
    const result = await doStep({
      octokit,
      issue,
      dispatch,
      workflow,
      state,
      stage,
      record,
      comments,
      ...(params.subject === undefined ? {} : { subject: params.subject }),
      models: params.models,
      env: params.env,
      ...(params.runCodeStage === undefined ? {} : { runCodeStage: params.runCodeStage }),
      log,
    });
    if (result.kind === 'stale') return quiet(log, result.reason);

    // 5. Post, unless the run moved on meanwhile (a file output is committed first, then named in the comment).
    const staleNow = await stalenessNow(
      octokit,
      issue,
      status.id,
      state,
      dispatch,
      inputs.stateKey,
      params.etags,
    );
    if (staleNow !== undefined) return quiet(log, staleNow);
    let final = result;
    // A question (`ask_human`) is no output: it is posted for people to answer, never committed to a file.
    if (result.kind === 'response' && result.pull_number === undefined && result.ask_human === undefined) {
      const text = clean(result.text);
      const file = await commitOutputFile({
        octokit,
        repo: inputs.github.repo,
        state,
        stage,
        dispatch,
        text,
        log,
      });
      if (file !== undefined) {
        const { url: _url, ...where } = file;
        final = { ...result, text: `${fileHeading(file)}${text}`, file: where };
      }
    }
    // A model's @mentions would notify people: defused unless the workflow lets models mention (`mentions: true`).
    const posting = workflow.mentions ? clean : (text: string) => defuseMentions(clean(text));
    const bodies = outputBodies(dispatch, final, posting);
    const posted = await postOutputs(octokit, issue, bodies, comments);
    log.info(
      `posted the ${result.kind} of "${stage.id}" in ${posted.length} comment${posted.length === 1 ? '' : 's'}: ${posted[0]?.url ?? ''}`,
    );
    return { outcome: 'posted', kind: final.kind, comments: posted };
  } catch (thrown) {
    const error = toError(thrown);
    const annotations = error instanceof ActionError ? error.annotations : [];
    const message = clean(error.message);
    try {
      const body = failureBody(dispatch, message, inputs.github.runUrl);
      const posted = await postOutputs(octokit, issue, [body], comments);
      return { outcome: 'failed', error: message, annotations, comments: posted };
    } catch (postError) {
      const why = clean(toError(postError).message);
      return {
        outcome: 'failed',
        error: `${message} (and the failure output could not be posted: ${why})`,
        annotations,
        comments: [],
      };
    }
  }
}

/**
 * Why the dispatch is no longer current by the status comment as it is now, if it is not. Asked conditionally when
 * this job wrote the version the step read (`etags` holds its ETag at that rev): a 304 says nobody wrote since, so
 * the state read is still the state. Cost: 1 GET (free when unchanged).
 */
async function stalenessNow(
  octokit: Octo,
  issue: IssueRef,
  id: number,
  read: RunState,
  dispatch: ActionInputs['dispatch'],
  stateKey: string,
  etags: KeyedCache<{ etag: string; rev: number }> | undefined,
): Promise<string | undefined> {
  const key = `${issue.owner}/${issue.repo}/${id}`;
  const known = etags?.get(key);
  if (etags === undefined) {
    const now = await getComment(octokit, issue, id);
    const decoded = now === undefined ? undefined : decodeStateBlock(now.body, stateKey, issue);
    return decoded?.ok === true ? dispatchStaleness(decoded.state, dispatch) : undefined;
  }
  const asked = await getCommentIfChanged(octokit, issue, id, known?.rev === read.rev ? known.etag : '');
  if (asked?.changed === false) return undefined;
  const decoded = asked === undefined ? undefined : decodeStateBlock(asked.comment.body, stateKey, issue);
  // The version read now, for the next re-read (the reconcile's, before it writes) to be conditional.
  if (decoded?.ok === true && asked?.etag !== undefined)
    etags.set(key, { etag: asked.etag, rev: decoded.state.rev });
  return decoded?.ok === true ? dispatchStaleness(decoded.state, dispatch) : undefined;
}

function quiet(log: Log, reason: string): ActionOutcome {
  log.info(`this dispatch is no longer current, so nothing is posted: ${reason}`);
  return { outcome: 'stale', reason };
}
