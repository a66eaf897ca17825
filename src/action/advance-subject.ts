import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { IssueInfo } from '../github/get-issue.ts';
import type { IssueComment, Octo } from '../github/types.ts';
import type { HeldLabels } from '../reconcile/apply-labels.ts';
import type { ReconcileConfig } from '../reconcile/reconcile-config.ts';
import type { ReconcileDeps, RunWork, DispatchInputs as StepRequest } from '../reconcile/reconcile-deps.ts';
import { reconcileRedone } from '../reconcile/reconcile-redone.ts';
import { SubjectComments } from '../reconcile/subject-comments.ts';
import type { SubjectEvent } from '../reconcile/subject-event.ts';
import { WriterMismatch } from './action-error.ts';
import type { CodeStageRunner } from './code-stage.ts';
import type { GitHubInputs } from './inputs.ts';
import type { Models } from './model-types.ts';
import { type ActionOutcome, runAction } from './run-action.ts';
import type { Log } from './step-context.ts';
import { stepDispatch } from './step-dispatch.ts';

export interface AdvanceParams {
  octokit: Octo;
  github: GitHubInputs;
  subject: SubjectEvent;
  /**
   * The subject's issue as this job read it (a sweep lists the open issues, bodies included, when it starts):
   * steps render their prompts over it, with the labels the last reconcile left, instead of reading the issue
   * again. Absent: each step reads it.
   */
  facts?: IssueInfo;
  /** The app's settings, as the Action alone uses them (its state key; outputs come from github-actions[bot]). */
  config: ReconcileConfig;
  models: Models;
  env: Readonly<Record<string, string | undefined>>;
  runCodeStage?: CodeStageRunner;
  log: Log;
  /** At most this many stage steps in one job (default 20): a workflow of automatic stages cannot loop forever. */
  maxSteps?: number;
  /**
   * Only steps of this stage run (a sweep's batch works at one stage): once the run asks for a step of another
   * stage, advancing stops and that step is left (`left`) for the batch of its stage. A run that already waits for
   * a step of this stage (asked for by an earlier batch or job, which left it) gets that step run here.
   */
  stage?: string;
  now?: () => string;
  nonce?: () => string;
  /** How people hear of a gate that opens (see `ReconcileDeps.gateNotices`): a sweep says it once, at its end. */
  gateNotices?: ReconcileDeps['gateNotices'];
  /**
   * Where the label changes of this call's reconciles are gathered instead of written (see
   * `ReconcileDeps.heldLabels`): the caller writes them once with `flushHeldLabels`, when it is done with the
   * subject. A sweep does, whose items nobody watches step by step. Absent: each reconcile writes its own.
   */
  heldLabels?: HeldLabels;
  /**
   * Shared across subjects in one job (a sweep): workflow texts and definitions read once, the labels known to
   * exist, and the workflows on the default branch as the job read them (see `ReconcileDeps.workflows`).
   */
  caches?: Pick<ReconcileDeps, 'blobs' | 'definitions' | 'labels' | 'workflows'> & JobMemory;
}

/**
 * What a job that advances many subjects (a sweep) remembers across them, so that a subject's later stages ask
 * GitHub only what may have changed: which versions of comments are flowgate's writing (no question about their
 * last editor), and the ETags of the status comments and labels it wrote last (conditional re-reads, free while
 * nobody wrote since). Absent: each `advanceSubject` call starts with none.
 */
export interface JobMemory {
  comments?: SubjectComments;
  etags?: NonNullable<ReconcileDeps['etags']>;
  labelAnswers?: NonNullable<ReconcileDeps['labelAnswers']>;
}

/** A fresh memory for one job (bounded like the app's: the last 10,000 entries of each). */
export function jobMemory(): Required<JobMemory> {
  return {
    comments: new SubjectComments(10_000),
    etags: new LRUCache({ max: 10_000 }),
    labelAnswers: new LRUCache({ max: 10_000 }),
  };
}

export interface AdvanceResult {
  /** The runs on the subject after the last reconcile. */
  work: RunWork[];
  /** Every step this job ran, in order, with what came of it. */
  steps: { request: StepRequest; outcome: ActionOutcome }[];
  /**
   * Steps still asked for when `maxSteps` ran out or the run moved past `stage` (the next event on the subject,
   * or the next batch, goes on with them).
   */
  left: StepRequest[];
  /** The subject's labels as the last reconcile left them (on GitHub: changes held in `heldLabels` not in them). */
  labels: string[];
}

/**
 * Brings one issue or pull request as far as it can go inside this job, without the app: the app's own
 * level-triggered reconcile (read everything new, apply it through the engine, write the status comment, labels
 * and check run), with each stage step it asks for run here and now through `runAction` instead of a
 * `workflow_dispatch`, and the reconcile done again to take the step's output; until no step is asked for (a gate
 * waits for a person, the run ended) or `maxSteps` steps ran.
 */
export async function advanceSubject(params: AdvanceParams): Promise<AdvanceResult> {
  const { octokit, log } = params;
  const requested: StepRequest[] = [];
  const issue = { ...params.subject.repo, number: params.subject.number };
  const known = params.caches?.comments ?? new SubjectComments();
  // The first reconcile lists every comment, for the step that follows it (the job's memory of which versions are
  // flowgate's writing is kept).
  known.listInFullNext(issue);
  // Each reconcile starts from the labels the one before left (a stage's label is removed when the run moves on).
  let labels = params.subject.labels;
  // A full listing the last reconcile made (with its own writes), for the step that follows it right away.
  let listed: IssueComment[] | undefined;
  // How many comments the subject had at the last reconcile: while one page holds them all (100), a reconcile lists
  // every comment for the same one request an incremental listing costs, and the step after it need not list again.
  let size = 0;
  const deps: ReconcileDeps = {
    octokit,
    config: params.config,
    now: params.now ?? (() => new Date().toISOString()),
    nonce: params.nonce ?? (() => randomBytes(12).toString('base64url')),
    blobs: params.caches?.blobs ?? new Map(),
    definitions: params.caches?.definitions ?? new Map(),
    labels: params.caches?.labels ?? new Map(),
    // The job's later reconciles ask for the listing of `.github/flowgate/` conditionally (a free 304).
    listings: new Map(),
    // A stage move's re-read of the labels is conditional on the job's last label write (a free 304).
    labelAnswers: params.caches?.labelAnswers ?? new Map(),
    // The re-read of a status comment before it is written is conditional on the job's last write of it.
    ...(params.caches?.etags === undefined ? {} : { etags: params.caches.etags }),
    ...(params.caches?.workflows === undefined ? {} : { workflows: params.caches.workflows }),
    comments: known,
    ...(params.gateNotices === undefined ? {} : { gateNotices: params.gateNotices }),
    // Without held labels (the Action alone on one subject), a status edit and its label moves go in one request
    // when the labels' ids are known (the event's payload shows them, label answers teach the rest).
    ...(params.heldLabels === undefined ? { labelIds: new Map() } : { heldLabels: params.heldLabels }),
    // A job has no later: a due deadline is found by the next reconcile of the subject.
    schedule: () => {},
    log: (message) => log.info(message),
    dispatch: async (request) => {
      requested.push(request);
    },
    reconciled: (left) => {
      labels = left.labels;
      listed = left.full ? left.comments : undefined;
      size = left.comments.length;
    },
  };
  const steps: AdvanceResult['steps'] = [];
  const maxSteps = params.maxSteps ?? 20;
  let work = await reconcileRedone(params.subject, deps);
  if (params.stage !== undefined && requested.length === 0)
    requested.push(...waitingSteps(work, params.stage));
  for (let i = 1; requested.length > 0 && steps.length < maxSteps; i++) {
    // Only the newest request of each run is current: the engine replaces a step by dispatching a new nonce.
    const request = requested.splice(0).at(-1) as StepRequest;
    if (params.stage !== undefined && request.stage !== params.stage) {
      requested.push(request);
      break;
    }
    log.info(
      `flowgate: step ${i}: ${request.stage} (${request.step}, attempt ${request.attempt}) of run ${request.run_id}`,
    );
    // The reconcile listed the comments moments ago in this job: the step takes that listing (once) instead of
    // listing them again. A later reconcile lists only what is new, so the step after it lists in full itself.
    const comments = listed;
    listed = undefined;
    const outcome = await runAction({
      inputs: {
        dispatch: stepDispatch(request),
        github: params.github,
        stateKey: params.config.stateKey,
      },
      octokit,
      definitions: deps.definitions,
      ...(comments === undefined ? {} : { comments }),
      ...(params.facts === undefined ? {} : { subject: { ...params.facts, labels } }),
      models: params.models,
      env: params.env,
      ...(params.runCodeStage === undefined ? {} : { runCodeStage: params.runCodeStage }),
      log,
      vouched: (c) => known.isVouched(issue, c),
      writers: {
        ...(params.config.stateWriter === undefined ? {} : { stateWriter: params.config.stateWriter }),
        actionLogins: params.config.outputAuthors,
      },
      ...(params.caches?.etags === undefined ? {} : { etags: params.caches.etags }),
    });
    // What the step posted is this job's own writing: the reconcile that takes it need not ask who edited it last.
    if (outcome.outcome !== 'stale') {
      assertReadable(outcome.comments, params.config.outputAuthors);
      known.vouch(issue, outcome.comments);
    }
    steps.push({ request, outcome });
    if (size + (outcome.outcome === 'stale' ? 0 : outcome.comments.length) < PAGE)
      known.listInFullNext(issue);
    work = await reconcileRedone(
      {
        ...params.subject,
        labels,
        deliveryId: `${params.subject.deliveryId}:step-${i}`,
        trigger: { kind: 'timer' },
      },
      deps,
    );
  }
  return { work, steps, left: requested, labels };
}

/**
 * Throws `WriterMismatch` when the step posted as a login whose outputs the reconcile does not read: the token is
 * not the workflow's GITHUB_TOKEN and `github-token-login` does not name who it posts as.
 */
function assertReadable(posted: readonly IssueComment[], outputAuthors: readonly string[]): void {
  const login = posted[0]?.login;
  if (login === undefined || outputAuthors.includes(login)) return;
  throw new WriterMismatch(
    posted[0]?.isBot === true
      ? `the Action posts as @${login}, whose outputs it reads only when told: set the input "github-token-login" to "${login}" (docs/sweeps.md §15)`
      : `the Action posts as @${login}, a person: give "github-token" the workflow's GITHUB_TOKEN or a GitHub App installation token, never a personal token`,
  );
}

/** Comments in one page of GitHub's listing. */
const PAGE = 100;

/** The steps runs at `stage` wait for (asked for before, not answered yet), as their requests were made. */
function waitingSteps(work: readonly RunWork[], stage: string): StepRequest[] {
  return work.flatMap((w) => {
    const { state } = w;
    const record = state.stages[stage];
    if (state.stage !== stage || state.wait?.for !== 'action' || record === undefined) return [];
    return [
      {
        run_id: state.id,
        subject: String(state.subject.number),
        stage,
        attempt: String(record.attempt),
        nonce: state.wait.nonce,
        step: state.wait.step,
      },
    ];
  });
}
