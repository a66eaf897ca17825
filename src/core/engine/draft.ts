import { boundText, EXCERPT_KEPT, eventSource, TEXT_KEPT } from '../state/bounded-text.ts';
import type { RunState, StageRecord } from '../state/run-state.ts';
import { type Stage, stageById, type Workflow } from '../workflow.ts';
import type { EngineContext } from './context.ts';
import type { Effect } from './effects.ts';
import type { EngineEvent } from './events.ts';

/** The state being changed by one step, with the effects collected so far. */
export interface Draft {
  workflow: Workflow;
  state: RunState;
  effects: Effect[];
  ctx: EngineContext;
  event: EngineEvent;
  /** Who caused this step, for the history (`flowgate` for the engine's own moves). */
  actor: string;
  /** Stages entered in this step: a guard against a loop of stages that never waits. */
  entered: number;
  dispatches: number;
  /**
   * A note to hand on as feedback to the next stage entered in this step (an override's note, see
   * `/approve --revise|--complete`), with the stage it is about.
   */
  handOn?: { feedback: string; from: string };
}

/**
 * Adds a history entry. The reason is an excerpt (`EXCERPT_KEPT` characters): a person's long text is kept once,
 * where it belongs (the rejection, the approval, the stage's feedback), not again in the history.
 */
export function record(d: Draft, what: string, reason?: string, actor = d.actor): void {
  d.state.history.push({
    at: d.ctx.now,
    actor,
    event: d.event.id,
    what,
    ...(reason === undefined ? {} : { reason: excerpt(d, reason) }),
  });
}

/** A text as the state repeats it (history, pause reason): `EXCERPT_KEPT` characters, saying where the rest is. */
export function excerpt(d: Draft, text: string): string {
  return boundText(text, EXCERPT_KEPT, eventSource(d.event.id));
}

/** A person's text (a reason, note or feedback) as the state stores it: bounded, and saying where the rest is. */
export function keptText(d: Draft, text: string): string {
  return boundText(text, TEXT_KEPT, eventSource(d.event.id));
}

export function emptyRecord(): StageRecord {
  return {
    visits: 0,
    attempt: 0,
    retries: 0,
    visit_retries: 0,
    approvals: [],
    rejections: [],
    usage: { tokens_in: 0, tokens_out: 0, cost_usd: 0 },
  };
}

export function stageRecord(d: Draft, id: string = d.state.stage): StageRecord {
  const existing = d.state.stages[id];
  if (existing !== undefined) return existing;
  const created = emptyRecord();
  d.state.stages[id] = created;
  return created;
}

export function currentStage(d: Draft): Stage {
  const stage = stageById(d.workflow, d.state.stage);
  if (stage === undefined)
    throw new Error(`stage "${d.state.stage}" is not in workflow "${d.workflow.name}"`);
  return stage;
}

export function reply(d: Draft, text: string): void {
  const to = d.event.type === 'command.received' ? d.event.comment_id : undefined;
  d.effects.push(to === undefined ? { type: 'reply', text } : { type: 'reply', text, to });
}

export function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}
