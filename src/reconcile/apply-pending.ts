import type { EngineEvent } from '../core/engine/events.ts';
import { step } from '../core/engine/step.ts';
import { addReaction } from '../github/add-reaction.ts';
import type { IssueRef, Octo } from '../github/types.ts';
import type { ActorFacts } from './actor-facts.ts';
import type { Pending } from './collect-events.ts';
import type { RunWork } from './reconcile-deps.ts';

/**
 * Applies one thing that happened (a command, a review, an event only the webhook tells) to a run through
 * the engine, with the actor's facts read from GitHub; the run takes the new state and the effects to carry out.
 */
export async function applyPending(
  w: RunWork,
  p: Pending,
  facts: ActorFacts,
  ctx: () => { now: string; nonce: string },
  octokit: Octo,
  issue: IssueRef,
): Promise<void> {
  let event: EngineEvent;
  const gate = () => openGateOf(w);
  if ('event' in p) event = await withEditor(p.event, w, facts);
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
  } else {
    const r = p.review;
    event = {
      id: `review:${r.id}`,
      type: 'review.submitted',
      actor: await facts.actor(r.login, r.isBot, gate()),
      state: r.state === 'APPROVED' ? 'approved' : 'changes_requested',
      body: r.body,
      head_sha: r.commitId ?? '',
    };
  }
  // The time GitHub gives the event binds what the run waits for next (a content wait begins then).
  const at = 'implied' in p ? undefined : p.at;
  const commentId = 'command' in p ? p.comment.id : 'event' in p ? commentOf(p.event) : undefined;
  const result = step(w.workflow, w.state, event, {
    ...ctx(),
    ...(at === undefined ? {} : { at }),
    ...(commentId === undefined ? {} : { comment_id: commentId }),
  });
  if (!result.changed) return;
  w.state = result.state;
  w.changed = true;
  w.effects.push(...result.effects);
}

/**
 * An edit that states a verdict other than the recorded one, by a person GitHub names (not `someone` or `ghost`),
 * carries the editor's facts: the engine counts the edited verdict only when they may approve the stage. Cost: the
 * editor's permission (and the gate's teams and CODEOWNERS when it names them), once per reconcile.
 */
async function withEditor(event: EngineEvent, w: RunWork, facts: ActorFacts): Promise<EngineEvent> {
  if (event.type !== 'content.edited' || event.verdict === undefined) return event;
  const stage = w.workflow.stages.find((s) => s.id === event.stage);
  const recorded = w.state.stages[event.stage]?.output?.verdict;
  if (stage?.verdict !== true || recorded === event.verdict) return event;
  if (event.by === 'someone' || event.by === 'ghost') return event;
  return { ...event, editor: await facts.actor(event.by, event.by.endsWith('[bot]'), stage.gate) };
}

function openGateOf(w: RunWork) {
  const wait = w.state.wait;
  const stage = w.workflow.stages.find((s) => s.id === w.state.stage);
  if (stage === undefined) return undefined;
  const human = wait?.for === 'approval' || wait?.for === 'answer';
  return human && wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
}

async function reactSafely(
  octokit: Octo,
  issue: IssueRef,
  commentId: number,
  reaction: 'eyes',
): Promise<void> {
  await addReaction(octokit, issue, commentId, reaction).catch(() => undefined);
}

/** The comment an Action's output event came from (its first part). */
function commentOf(event: EngineEvent): number | undefined {
  if (event.type === 'prompt.rendered' || event.type === 'response.received') return event.pointer.comment_id;
  return undefined;
}
