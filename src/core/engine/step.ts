import { FINAL_STATUSES, type RunState, STATE_VERSION } from '../state/run-state.ts';
import { stageById, type Workflow } from '../workflow.ts';
import { applyCommand } from './apply-command.ts';
import {
  onApproverDecided,
  onContentEdited,
  onHeadMoved,
  onOutputRewritten,
  onPromptRendered,
  onResponseReceived,
  onStageFailed,
  onTimer,
} from './apply-facts.ts';
import { applyDismissal, applyReview } from './apply-review.ts';
import type { EngineContext } from './context.ts';
import { type Draft, record, reply } from './draft.ts';
import type { Effect } from './effects.ts';
import type { EngineEvent, EventOf } from './events.ts';
import { migrateDefinition } from './migrate-definition.ts';
import { cancelRun, enterStage, progress } from './movement.ts';
import { shellEffects } from './shell-effects.ts';

export interface StepResult {
  state: RunState;
  effects: Effect[];
  /** False when the event changed nothing (a replay, or a result nobody waits for). */
  changed: boolean;
}

/**
 * The engine: applies one event to a run and says what the shell must do. Pure: the same inputs give the same
 * outputs; time and randomness come in through `ctx`. An event whose id was applied before changes nothing.
 */
export function step(
  workflow: Workflow,
  state: RunState,
  event: EngineEvent,
  ctx: EngineContext,
): StepResult {
  if (state.seen.includes(event.id)) return { state, effects: [], changed: false };
  const d = newDraft(workflow, structuredClone(state), event, ctx);
  // flowgate's own verdict rewrite is recorded on a run that ended in the same step too (its last stage may quote
  // the rewritten output in a system action).
  const bookkeeping = event.type === 'command.received' || event.type === 'output.rewritten';
  if (FINAL_STATUSES.includes(state.status) && !bookkeeping) {
    return { state, effects: [], changed: false };
  }
  if (stageById(workflow, state.stage) === undefined) orphaned(d, event);
  else apply(d, event);
  return finish(d, state);
}

/** Starts a run at the workflow's entry stage (or `event.entry`). */
export function startRun(workflow: Workflow, event: EventOf<'run.started'>, ctx: EngineContext): StepResult {
  const entry =
    event.entry ?? workflow.stages.find((s) => s.type === 'entry')?.id ?? workflow.stages[0]?.id ?? '';
  const state: RunState = {
    v: STATE_VERSION,
    id: event.run_id,
    workflow: workflow.name,
    definition: event.workflow_sha,
    subject: event.subject,
    status: 'running',
    stage: entry,
    stages: {},
    usage: { tokens_in: 0, tokens_out: 0, cost_usd: 0 },
    started_at: ctx.now,
    updated_at: ctx.now,
    history: [],
    history_trimmed: 0,
    seen: [],
    rev: 0,
  };
  const d = newDraft(workflow, state, event, ctx);
  d.actor = event.by;
  enterStage(d, entry, `started by @${event.by}`);
  progress(d);
  return finish(d, undefined);
}

function apply(d: Draft, event: EngineEvent): void {
  switch (event.type) {
    case 'run.started':
      reply(d, `A run of \`${d.workflow.name}\` is already in progress here.`);
      return;
    case 'prompt.rendered':
      onPromptRendered(d, event);
      return;
    case 'response.received':
      onResponseReceived(d, event);
      return;
    case 'command.received':
      d.actor = event.actor.login;
      applyCommand(d, event);
      return;
    case 'review.submitted':
      d.actor = event.actor.login;
      applyReview(d, event);
      return;
    case 'review.dismissed':
      applyDismissal(d, event);
      return;
    case 'head.moved':
      d.actor = event.pusher;
      onHeadMoved(d, event);
      return;
    case 'content.edited':
      d.actor = event.by;
      onContentEdited(d, event);
      return;
    case 'output.rewritten':
      onOutputRewritten(d, event);
      return;
    case 'timer.fired':
      onTimer(d);
      return;
    case 'subject.changed':
      progress(d);
      return;
    case 'approver.decided':
      onApproverDecided(d, event);
      return;
    case 'stage.failed':
      onStageFailed(d, event);
      return;
    case 'definition.changed':
      d.actor = event.by;
      migrateDefinition(d, event);
      return;
    case 'subject.closed':
      d.actor = event.by;
      cancelRun(
        d,
        `the ${d.state.subject.kind === 'pull_request' ? 'pull request' : 'issue'} was ${event.merged ? 'merged' : 'closed'}`,
      );
      return;
  }
}

/** What the Action reports about a stage's step. */
const RESULTS: EngineEvent['type'][] = [
  'prompt.rendered',
  'response.received',
  'approver.decided',
  'stage.failed',
];

/** Commands that work without the current stage; every other command needs it. */
const STAGELESS = ['status', 'help', 'start', 'pause', 'cancel', 'goto'];

/**
 * The run's stage is gone from the workflow (the file changed and nothing replaces it): results for it are
 * ignored, and commands that need it are answered with the explanation, until an admin moves the run.
 */
function orphaned(d: Draft, event: EngineEvent): void {
  const stageless = event.type === 'command.received' && STAGELESS.includes(event.command.kind);
  if (event.type === 'definition.changed' || event.type === 'subject.closed' || stageless) {
    apply(d, event);
    return;
  }
  if (RESULTS.includes(event.type) && 'stage' in event) {
    record(
      d,
      `ignored a result for ${event.stage}`,
      `stage "${event.stage}" is no longer in the workflow`,
      'flowgate',
    );
    return;
  }
  if (event.type !== 'command.received' || event.actor.is_bot) return;
  const why = d.state.resume?.reason ?? d.state.last_error ?? `stage "${d.state.stage}" does not exist`;
  const stages = d.workflow.stages.map((s) => s.id).join(', ');
  reply(d, `Stage "${d.state.stage}" is no longer in the workflow: ${why}. Stages: ${stages}.`);
}

function newDraft(workflow: Workflow, state: RunState, event: EngineEvent, ctx: EngineContext): Draft {
  return { workflow, state, effects: [], ctx, event, actor: 'flowgate', entered: 0, dispatches: 0 };
}

function finish(d: Draft, before: RunState | undefined): StepResult {
  const s = d.state;
  // An answered event (a refusal, /status) is remembered too, so that a redelivery is not answered twice; a
  // finished run never changes again, so there the shell's reply upsert is what keeps replies single.
  const answered = d.effects.some((e) => e.type === 'reply') && !FINAL_STATUSES.includes(s.status);
  const changed = before === undefined || answered || JSON.stringify(s) !== JSON.stringify(before);
  if (!changed) return { state: before ?? s, effects: d.effects, changed: false };
  s.seen.push(d.event.id);
  s.rev += 1;
  s.updated_at = d.ctx.now;
  return { state: s, effects: [...d.effects, ...shellEffects(d.workflow, s)], changed: true };
}
