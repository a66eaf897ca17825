import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../core/action-output.ts';
import type { CommandProblem } from '../core/commands/command.ts';
import { helpText } from '../core/commands/help-text.ts';
import { parseCommands } from '../core/commands/parse-commands.ts';
import { formatDiagnostic } from '../core/diagnostic.ts';
import type { Effect } from '../core/engine/effects.ts';
import { hasPermission } from '../core/engine/eligibility.ts';
import type { EngineEvent } from '../core/engine/events.ts';
import { startRun, step } from '../core/engine/step.ts';
import { FINAL_STATUSES, type RunState } from '../core/state/run-state.ts';
import { rewriteVerdict } from '../core/verdict.ts';
import type { Workflow } from '../core/workflow.ts';
import { addReaction } from '../github/add-reaction.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import { ActorFacts } from './actor-facts.ts';
import type { AppConfig } from './app-config.ts';
import { collectEvents, type Pending } from './collect-events.ts';
import { type DispatchInputs, executeEffects } from './execute-effects.ts';
import { loadRepoWorkflows, type RepoWorkflow } from './load-repo-workflows.ts';
import { postReply } from './post-reply.ts';
import { type KnownRun, readRuns } from './read-runs.ts';
import { type DefinitionCache, runDefinition } from './run-definition.ts';
import { PullCache, runPull } from './run-pull.ts';
import { type SubjectComments, waitsForParts } from './subject-comments.ts';
import type { SubjectEvent } from './subject-event.ts';
import { visibleParts } from './visible-parts.ts';
import { writeStatus } from './write-status.ts';

export interface ReconcileDeps {
  octokit: Octo;
  config: AppConfig;
  now: () => string;
  nonce: () => string;
  /** Blob sha -> file text, shared across deliveries. */
  blobs: Map<string, string>;
  /** Blob sha -> loaded workflow, shared across deliveries. */
  definitions: DefinitionCache;
  /** What the app remembers of subjects' comments, so that a delivery lists only what is new. */
  comments: SubjectComments;
  /** Labels known to exist per repository, shared across deliveries. */
  labels: Map<string, Set<string>>;
  /**
   * The workflows on the default branch as the caller read them in this job (a sweep reads them once when it
   * starts): used instead of listing `.github/flowgate/` again. Absent: listed when a reconcile needs them.
   */
  workflows?: RepoWorkflow[];
  schedule: (at: string) => void;
  /**
   * Runs a stage step. Absent: the app dispatches the team's Actions workflow (`workflow_dispatch`). The Action
   * running without the app passes its own, which queues the step to run in the same job.
   */
  dispatch?: (inputs: DispatchInputs) => Promise<void>;
  log: (message: string) => void;
  /**
   * Told, at the end of each reconcile, what it left the subject with as far as it knows: its labels after the
   * label effects, and its comments as listed with this reconcile's own writes in them (`full` when the listing
   * held every comment, not only those since the last one). A caller that reconciles the same subject again in
   * this job (the Action alone, a sweep) starts the next reconcile from those labels, not from the ones its event
   * carried, and a step it runs right away can take those comments instead of listing them again.
   */
  reconciled?: (left: { labels: string[]; comments: IssueComment[]; full: boolean }) => void;
}

/** A run being worked on in this reconcile: where it lives, its state, and what the shell still has to do. */
export interface RunWork {
  workflow: Workflow;
  state: RunState;
  comment?: IssueComment;
  /** The head of the run's pull request when it has one (the subject, or the one a stage opened). */
  headSha?: string;
  /** The `rev` the status comment held when this reconcile read it (undefined for a new run). */
  baseRev?: number;
  changed: boolean;
  effects: Effect[];
  /** Command comments that got the eyes reaction in this reconcile. */
  received: Set<number>;
}

/**
 * Brings every flowgate run on one issue or pull request up to date with GitHub (level-triggered): reads the
 * workflows, the status comments and every comment and review the runs have not applied, applies them through the
 * engine in order, and carries out the effects. Callers serialise calls per subject.
 */
export async function reconcileSubject(subject: SubjectEvent, deps: ReconcileDeps): Promise<RunWork[]> {
  const { octokit, config } = deps;
  const issue: IssueRef = { ...subject.repo, number: subject.number };
  // 1. What the subject holds now.
  const listing = await deps.comments.read(octokit, issue);
  let comments = listing.comments;
  let full = listing.full;
  if (!listing.full && waitsForParts(comments)) {
    // A long output arrives in parts, maybe across deliveries: its earlier parts are older than the last listing.
    comments = (await deps.comments.read(octokit, issue, { full: true })).comments;
    full = true;
  }
  const { runs, broken } = readRuns(comments, config.stateKey, issue);
  for (const b of broken) {
    await postReply(octokit, issue, comments, `state:${b.comment.id}`, forgedNotice(b.runId, b.message));
  }
  const pulls = new PullCache(octokit, issue.owner, issue.repo);
  let workflows = deps.workflows;
  const repoWorkflows = async () => {
    workflows ??= await loadRepoWorkflows(octokit, subject.repo, subject.defaultBranch, deps.blobs);
    return workflows;
  };
  const ctx = () => ({ now: deps.now(), nonce: deps.nonce() });

  // 2. Bring the existing runs up to date.
  const work: RunWork[] = [];
  for (const run of runs) {
    const workflow = await runDefinition(
      octokit,
      { ...subject.repo, ref: subject.defaultBranch },
      run.state,
      deps,
      repoWorkflows,
    );
    if (workflow === undefined) continue;
    const w: RunWork = {
      workflow,
      state: run.state,
      comment: run.comment,
      baseRev: run.state.rev,
      changed: false,
      effects: [],
      received: new Set(),
    };
    work.push(w);
    if (isFinal(run)) continue;
    const pullNumber = runPull(run.state, subject);
    const pull = pullNumber === undefined ? undefined : await pulls.get(pullNumber);
    w.headSha = pull?.info.headSha;
    const facts = new ActorFacts(
      octokit,
      { ...issue, number: pullNumber ?? issue.number },
      pull === undefined ? undefined : { baseRef: pull.info.baseRef },
    );
    const { pending, problems } = collectEvents(
      run.state,
      comments,
      pull?.reviews ?? [],
      config.outputAuthors,
    );
    const triggered = triggerEvents(subject, run.state, pull?.info.headSha);
    const implied = impliedCommands(subject, w);
    for (const p of [...pending, ...triggered.map((event) => ({ at: deps.now(), event })), ...implied]) {
      await apply(w, p, facts, ctx, octokit, issue);
    }
    await answerProblems(octokit, issue, comments, problems);
  }

  // 3. Start new runs: a trigger label, or /flowgate start in a comment no run has seen.
  const starters = new ActorFacts(octokit, issue, undefined);
  await startNewRuns(subject, comments, work, repoWorkflows, starters, deps, issue);

  // 4. Carry out what changed: the status comment first (the Action reads it), then everything else.
  for (const w of work) {
    if (!w.changed) continue;
    followRewrittenVerdicts(w, comments, ctx);
    const headSha =
      w.headSha ?? (runPull(w.state, subject) === undefined ? undefined : w.state.subject.head_sha);
    await writeStatus(octokit, issue, w, comments, config.stateKey, headSha);
    await executeEffects(w, { octokit, issue, subject, comments, deps, headSha });
  }
  const left = comments.map((c) => work.find((w) => w.comment?.id === c.id)?.comment ?? c);
  listing.remember(left);
  deps.reconciled?.({ labels: subject.labels, comments: left, full });
  return work;
}

async function apply(
  w: RunWork,
  p: Pending,
  facts: ActorFacts,
  ctx: () => { now: string; nonce: string },
  octokit: Octo,
  issue: IssueRef,
): Promise<void> {
  let event: EngineEvent;
  const gate = () => openGateOf(w);
  if ('event' in p) event = p.event;
  else if ('implied' in p) {
    event = {
      id: p.implied.id,
      type: 'command.received',
      command: p.implied.command,
      actor: await facts.actor(p.implied.login, false, gate()),
      comment_id: 0,
    };
  } else if ('command' in p) {
    if (!w.received.has(p.comment.id)) {
      w.received.add(p.comment.id);
      await reactSafely(octokit, issue, p.comment.id, 'eyes');
    }
    event = {
      id: `comment:${p.comment.id}:${p.command.line}`,
      type: 'command.received',
      command: p.command,
      actor: await facts.actor(p.comment.login, p.comment.isBot, gate()),
      comment_id: p.comment.id,
    };
  } else if ('review' in p) {
    const r = p.review;
    event = {
      id: `review:${r.id}`,
      type: 'review.submitted',
      actor: await facts.actor(r.login, r.isBot, gate()),
      state: r.state === 'APPROVED' ? 'approved' : 'changes_requested',
      body: r.body,
      head_sha: r.commitId ?? '',
    };
  } else {
    const author = await facts.actor(p.content.login, p.content.isBot, gate());
    if (!hasPermission(author, 'write')) return;
    event = {
      id: `comment:${p.content.id}`,
      type: 'content.submitted',
      stage: w.state.stage,
      by: author,
      sha256: sha256Hex(p.content.body),
      pointer: { comment_id: p.content.id, url: p.content.url },
    };
  }
  const result = step(w.workflow, w.state, event, ctx());
  if (!result.changed) return;
  w.state = result.state;
  w.changed = true;
  w.effects.push(...result.effects);
}

/**
 * A verdict override (`/approve --revise`, `--complete`) rewrites the output comment after the state is written.
 * The state must already hold the hash of the rewritten text, or the next stage's Action would find the output
 * "edited after the run accepted it": the rewrite is worked out here from the listing and told to the engine.
 */
function followRewrittenVerdicts(
  w: RunWork,
  comments: readonly IssueComment[],
  ctx: () => { now: string; nonce: string },
) {
  for (const effect of w.effects) {
    if (effect.type !== 'output.rewrite_verdict') continue;
    const ids =
      effect.pointer.parts ?? (effect.pointer.comment_id === undefined ? [] : [effect.pointer.comment_id]);
    const texts = visibleParts(comments, ids);
    if (ids.length === 0 || texts.some((t) => t === undefined)) continue;
    const rewritten = texts.map((t, i) => (i === 0 ? rewriteVerdict(t ?? '', effect.verdict) : (t ?? '')));
    const sha256 = sha256Hex(rewritten.join(''));
    const event: EngineEvent = {
      id: `rewrite:${ids[0]}:${sha256}`,
      type: 'output.rewritten',
      stage: effect.stage,
      sha256,
    };
    const result = step(w.workflow, w.state, event, ctx());
    if (result.changed) w.state = result.state;
  }
}

/**
 * Commands people give without writing one: adding a stage's label asks to move there (allowed along a declared
 * transition, for maintainers, as /flowgate goto), and re-running the run's check run asks for /retry.
 */
function impliedCommands(subject: SubjectEvent, w: RunWork): Pending[] {
  const t = subject.trigger;
  const at = new Date(0).toISOString();
  if (t.kind === 'labeled' && !t.byBot) {
    const stage = w.workflow.stages.find((s) => s.labels.includes(t.label));
    if (stage === undefined || stage.id === w.state.stage) return [];
    const raw = `(label "${t.label}" added)`;
    return [
      {
        at,
        implied: {
          id: `label:${t.label}:${subject.deliveryId}`,
          login: t.by,
          command: { kind: 'goto', stage: stage.id, force: false, line: 0, raw },
        },
      },
    ];
  }
  if (t.kind === 'rerequested') {
    return [
      {
        at,
        implied: {
          id: `rerequest:${subject.deliveryId}`,
          login: t.by,
          command: { kind: 'retry', line: 0, raw: '(check run re-run)' },
        },
      },
    ];
  }
  return [];
}

/** Events only the webhook can tell: a push, a close, a re-run request, a dead stage workflow, a due timer. */
function triggerEvents(subject: SubjectEvent, state: RunState, headSha: string | undefined): EngineEvent[] {
  const t = subject.trigger;
  const events: EngineEvent[] = [];
  const id = (kind: string) => `${kind}:${subject.deliveryId}`;
  if (headSha !== undefined && state.subject.head_sha !== undefined && headSha !== state.subject.head_sha) {
    events.push({
      id: `head:${headSha}`,
      type: 'head.moved',
      sha: headSha,
      pusher: t.kind === 'pushed' ? t.by : 'someone',
    });
  }
  if (subject.via === undefined && (t.kind === 'closed' || subject.state === 'closed')) {
    events.push({
      id: id('closed'),
      type: 'subject.closed',
      by: t.kind === 'closed' ? t.by : 'someone',
      merged: t.kind === 'closed' && t.merged,
    });
  }
  if (t.kind === 'workflow-failed' && t.runId === state.id) {
    events.push({
      id: id('workflow-run'),
      type: 'stage.failed',
      stage: state.stage,
      ...(t.nonce === undefined ? {} : { nonce: t.nonce }),
      error: `the stage workflow ended with ${t.conclusion} before reporting a result`,
      url: t.url,
    });
  }
  const wait = state.wait;
  const due = wait?.for === 'action' ? wait.deadline : wait?.for === 'delay' ? wait.until : undefined;
  if (due !== undefined && Date.now() >= Date.parse(due)) {
    events.push({ id: `timer:${due}`, type: 'timer.fired' });
  }
  return events;
}

async function startNewRuns(
  subject: SubjectEvent,
  comments: IssueComment[],
  work: RunWork[],
  repoWorkflows: () => Promise<RepoWorkflow[]>,
  facts: ActorFacts,
  deps: ReconcileDeps,
  issue: IssueRef,
): Promise<void> {
  const seenAnywhere = (id: string) => work.some((w) => w.state.seen.includes(id));
  const requests: {
    id: string;
    by: string;
    name: string;
    how: 'label' | 'command' | 'start';
    commentId?: number;
  }[] = [];
  const t = subject.trigger;
  if (t.kind === 'start') {
    requests.push({
      id: `start:${t.workflow}:${subject.deliveryId}`,
      by: t.by,
      name: t.workflow,
      how: 'start',
    });
  }
  if (t.kind === 'labeled' && !t.byBot) {
    for (const repoWorkflow of await repoWorkflows()) {
      if (repoWorkflow.workflow?.on.labels.includes(t.label)) {
        requests.push({
          id: `label:${t.label}:${subject.deliveryId}`,
          by: t.by,
          name: repoWorkflow.workflow.name,
          how: 'label',
        });
      }
    }
  }
  if (t.kind === 'comment') {
    const comment = comments.find((c) => c.id === t.commentId);
    if (comment !== undefined && !comment.isBot && comment.updatedAt === comment.createdAt) {
      const { commands, problems } = parseCommands(comment.body);
      for (const c of commands) {
        if (c.kind === 'start')
          requests.push({
            id: `comment:${comment.id}:${c.line}`,
            by: comment.login,
            name: c.workflow,
            how: 'command',
            commentId: comment.id,
          });
      }
      const noRun = work.every((w) => FINAL_STATUSES.includes(w.state.status));
      if (noRun)
        await answerWithoutRun(
          deps.octokit,
          issue,
          comments,
          comment,
          commands.filter((c) => c.kind !== 'start').map((c) => c.kind),
          problems,
          repoWorkflows,
        );
    }
  }
  for (const r of requests) {
    if (seenAnywhere(r.id)) continue;
    const all = await repoWorkflows();
    const found = all.find(
      (x) => x.workflow?.name === r.name || x.workflow?.on.command === r.name.toLowerCase(),
    );
    const say = (text: string) =>
      postReply(deps.octokit, issue, comments, r.commentId === undefined ? r.id : `${r.commentId}`, text);
    if (found === undefined) {
      const names =
        all.map((x) => x.workflow?.on.command ?? x.path).join(', ') || 'none in .github/flowgate/';
      await say(`There is no workflow \`${r.name}\` on the default branch. Workflows: ${names}.`);
      continue;
    }
    if (found.workflow === undefined) {
      await say(
        `The workflow file \`${found.path}\` has errors, so no run started:\n\n\`\`\`\n${found.diagnostics.map(formatDiagnostic).join('\n')}\n\`\`\``,
      );
      continue;
    }
    const workflow = found.workflow;
    // A sweep starts a run only where the workflow never ran: it does not redo a run that ended.
    if (r.how === 'start' && work.some((w) => w.workflow.name === workflow.name)) continue;
    if (work.some((w) => w.workflow.name === workflow.name && !FINAL_STATUSES.includes(w.state.status))) {
      if (r.how === 'command')
        await say(
          `A run of \`${workflow.name}\` is already in progress here; \`/cancel\` it first to start over.`,
        );
      continue;
    }
    const permission = r.how === 'start' ? 'admin' : await facts.permission(r.by);
    if (
      !hasPermission(
        { login: r.by, permission, teams: [], codeowner: false, is_bot: false },
        deps.config.startPermission,
      )
    ) {
      await say(
        `@${r.by} cannot start \`${workflow.name}\`: starting a run needs ${deps.config.startPermission} permission, and @${r.by} has ${permission}.`,
      );
      continue;
    }
    if (
      workflow.on.subject !== 'any' &&
      workflow.on.subject !== (subject.isPull ? 'pull_request' : 'issue')
    ) {
      await say(
        `\`${workflow.name}\` runs on ${workflow.on.subject === 'issue' ? 'issues' : 'pull requests'} only.`,
      );
      continue;
    }
    const runId = `${subject.number}-${workflow.name}-${randomBytes(4).toString('hex')}`;
    const result = startRun(
      workflow,
      {
        id: r.id,
        type: 'run.started',
        by: r.by,
        run_id: runId,
        workflow_sha: found.sha,
        subject: {
          kind: subject.isPull ? 'pull_request' : 'issue',
          number: subject.number,
          author: subject.author,
          title: subject.title,
          labels: subject.labels,
        },
      },
      { now: deps.now(), nonce: deps.nonce() },
    );
    result.state.seen.push(r.id);
    work.push({ workflow, state: result.state, changed: true, effects: result.effects, received: new Set() });
  }
}

/** Commands on a subject with no run in progress get one answer. */
async function answerWithoutRun(
  octokit: Octo,
  issue: IssueRef,
  comments: IssueComment[],
  comment: IssueComment,
  kinds: string[],
  problems: CommandProblem[],
  repoWorkflows: () => Promise<RepoWorkflow[]>,
): Promise<void> {
  if (kinds.includes('help')) {
    await postReply(octokit, issue, comments, `${comment.id}`, helpText());
    return;
  }
  if (problems.length > 0) {
    await postReply(octokit, issue, comments, `${comment.id}`, problems.map((p) => p.message).join('\n'));
    return;
  }
  if (kinds.length === 0) return;
  const names = (await repoWorkflows()).flatMap((w) =>
    w.workflow === undefined ? [] : [`\`${w.workflow.on.command}\``],
  );
  await postReply(
    octokit,
    issue,
    comments,
    `${comment.id}`,
    `No flowgate run is in progress here. Start one with \`/flowgate start <workflow>\` (workflows: ${names.join(', ') || 'none yet'}).`,
  );
}

async function answerProblems(
  octokit: Octo,
  issue: IssueRef,
  comments: IssueComment[],
  problems: { comment: IssueComment; problem: CommandProblem }[],
): Promise<void> {
  for (const { comment, problem } of problems) {
    await postReply(octokit, issue, comments, `${comment.id}:${problem.line}`, problem.message);
  }
}

function openGateOf(w: RunWork) {
  const wait = w.state.wait;
  const stage = w.workflow.stages.find((s) => s.id === w.state.stage);
  if (stage === undefined) return undefined;
  return wait?.for === 'approval' && wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
}

function isFinal(run: KnownRun): boolean {
  return FINAL_STATUSES.includes(run.state.status);
}

async function reactSafely(
  octokit: Octo,
  issue: IssueRef,
  commentId: number,
  reaction: 'eyes',
): Promise<void> {
  await addReaction(octokit, issue, commentId, reaction).catch(() => undefined);
}

function forgedNotice(runId: string, message: string): string {
  return [
    `⚠️ flowgate cannot trust the state of run \`${runId}\`: ${message}.`,
    'The run is paused: flowgate will not change it or act on commands for it.',
    'A maintainer can restore the status comment from its edit history (the "edited" menu), after which the run goes on; or start a new run with `/flowgate start <workflow>`.',
  ].join(' ');
}
