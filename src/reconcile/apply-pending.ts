import { sha256Hex } from '../core/action-output.ts';
import { hasPermission } from '../core/engine/eligibility.ts';
import type { EngineEvent } from '../core/engine/events.ts';
import { step } from '../core/engine/step.ts';
import { parseVerdict } from '../core/verdict.ts';
import { addReaction } from '../github/add-reaction.ts';
import type { IssueRef, Octo } from '../github/types.ts';
import type { ActorFacts } from './actor-facts.ts';
import type { Pending } from './collect-events.ts';
import type { RunWork } from './reconcile-deps.ts';

/**
 * Applies one thing that happened (a command, a review, content, an event only the webhook tells) to a run through
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
    // Content counts only while the run waits for it, and only if posted once it did (GitHub's order decides,
    // not when the comment is read): a chat comment is never looked at more closely, so it costs no request.
    const wait = w.state.wait;
    if (wait?.for !== 'content') return;
    if (
      wait.after !== undefined
        ? p.content.id <= wait.after
        : wait.since !== undefined && Date.parse(p.content.createdAt) < Date.parse(wait.since)
    )
      return;
    const author = await facts.actor(p.content.login, p.content.isBot, gate());
    if (!hasPermission(author, 'write')) return;
    const stage = w.workflow.stages.find((s) => s.id === w.state.stage);
    const verdict = stage?.verdict === true ? parseVerdict(p.content.body) : undefined;
    event = {
      id: `comment:${p.content.id}`,
      type: 'content.submitted',
      stage: w.state.stage,
      by: author,
      sha256: sha256Hex(p.content.body),
      pointer: { comment_id: p.content.id, url: p.content.url },
      // A person's review content says PASS or FAIL as a model's does: `Verdict: PASS`.
      ...(verdict === undefined ? {} : { verdict }),
    };
  }
  // The time GitHub gives the event binds what the run waits for next (a content wait begins then).
  const at = 'implied' in p ? undefined : p.at;
  const commentId =
    'command' in p
      ? p.comment.id
      : 'content' in p
        ? p.content.id
        : 'event' in p
          ? commentOf(p.event)
          : undefined;
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
