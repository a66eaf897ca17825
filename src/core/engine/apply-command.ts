import type { Command } from '../commands/command.ts';
import { helpText } from '../commands/help-text.ts';
import type { Rejection, RunState, StageRecord } from '../state/run-state.ts';
import { suggest } from '../suggest.ts';
import { exitsOf, stageById } from '../workflow.ts';
import { submitContent } from './apply-submit.ts';
import { answerQuestion } from './ask-people.ts';
import { currentStage, type Draft, keptText, record, reply, stageRecord } from './draft.ts';
import { describeApprovers, hasPermission, refusalToApprove, refusalWithApprovers } from './eligibility.ts';
import type { Actor, EventOf } from './events.ts';
import {
  beginStage,
  cancelRun,
  contentSha,
  countedApprovers,
  enterStage,
  pauseRun,
  progress,
  startWork,
} from './movement.ts';
import { statusLine } from './status-line.ts';
import { describeWaitedConditions, waitedConditions } from './waited-conditions.ts';

type Handler<K extends Command['kind']> = (
  d: Draft,
  c: Extract<Command, { kind: K }>,
  actor: Actor,
) => boolean;

/** Applies one slash command; true when it changed the run (marked with a `+1` react effect: "applied"). */
export function applyCommand(d: Draft, e: EventOf<'command.received'>): void {
  const { command, actor } = e;
  if (actor.is_bot) return; // bots never issue commands, and are not answered (no reply loops)
  if (d.state.status === 'completed' || d.state.status === 'cancelled') {
    if (command.kind === 'status') reply(d, statusLine(d.workflow, d.state));
    else if (command.kind === 'help') reply(d, helpText());
    else
      reply(
        d,
        `This run is ${d.state.status}; nothing more can happen in it. Start a new one with \`/flowgate start ${d.workflow.on.command}\`.`,
      );
    return;
  }
  const applied = HANDLERS[command.kind](d, command as never, actor);
  if (applied) d.effects.push({ type: 'react', comment_id: e.comment_id, reaction: '+1' });
}

const HANDLERS: { [K in Command['kind']]: Handler<K> } = {
  approve: (d, c, actor) => approve(d, actor, c.note, c.override),
  reject: (d, c, actor) => reject(d, actor, c.reason, 'command'),
  retry: (d, c, actor) => retry(d, actor, c.feedback),
  submit: (d, c, actor) => submitContent(d, c, actor),
  answer: (d, c, actor) => answerQuestion(d, actor, c.text),
  status: (d) => {
    reply(d, statusLine(d.workflow, d.state));
    return false;
  },
  help: (d) => {
    reply(d, helpText());
    return false;
  },
  start: (d) => {
    reply(
      d,
      `A run of \`${d.workflow.name}\` is already in progress here (${statusLine(d.workflow, d.state)}). \`/cancel\` it first to start over.`,
    );
    return false;
  },
  pause: (d, _c, actor) => {
    if (!needsPermission(d, actor, 'write', 'pause')) return false;
    if (d.state.status === 'paused') return done(d, 'The run is already paused; `/resume` continues it.');
    if (d.state.status === 'failed')
      return done(d, 'The run has failed; `/retry` runs the stage again, `/cancel` ends it.');
    pauseRun(d, `paused by @${actor.login}`, 'continue');
    return true;
  },
  resume: (d, _c, actor) => resume(d, actor),
  cancel: (d, _c, actor) => {
    if (!needsPermission(d, actor, 'write', 'cancel')) return false;
    cancelRun(d);
    return true;
  },
  goto: (d, c, actor) => goto(d, actor, c.stage, c.force),
};

function approve(
  d: Draft,
  actor: Actor,
  note: string | undefined,
  override?: 'complete' | 'revise',
): boolean {
  const step = openStep(d);
  if (step === undefined) return false;
  const stage = currentStage(d);
  const gate = step === 'prompt' ? stage.prompt_gate : stage.gate;
  if (d.state.wait?.for === 'answer' && d.state.wait.from === 'model') {
    return done(
      d,
      `The model of "${stage.id}" asked a question instead of answering, so there is nothing to approve: \`/answer <text>\` answers it, \`/retry [feedback]\` runs the stage again, \`/reject <reason>\` stops it.`,
    );
  }
  if (gate.approver === 'review') {
    return done(
      d,
      `This gate opens with a pull request review approval by ${describeApprovers(gate)}, not with a command.`,
    );
  }
  const rec = stageRecord(d);
  const refusal = refusalToApprove(actor, gate, d.state.subject, contentAuthor(d, step));
  if (refusal !== undefined) {
    return done(d, `@${actor.login} cannot approve: ${refusalWithApprovers(refusal, gate)}`);
  }
  if (override !== undefined) {
    if (!stage.verdict || step !== 'response' || rec.output === undefined) {
      return done(
        d,
        `\`--${override}\` overrides a review verdict, but stage "${stage.id}" has no verdict (it needs \`verdict: true\`).`,
      );
    }
    const verdict = override === 'complete' ? 'pass' : 'fail';
    if (rec.output.verdict !== verdict) {
      rec.output.verdict = verdict;
      delete rec.output.verdict_by;
      d.effects.push({
        type: 'output.rewrite_verdict',
        stage: stage.id,
        pointer: rec.output.pointer,
        verdict,
      });
      record(d, `${stage.id}: verdict set to ${verdict.toUpperCase()} by @${actor.login}`, note);
    }
  }
  const sha = contentSha(d, step);
  if (countedApprovers(d, step).includes(actor.login) && override === undefined) {
    const count = countedApprovers(d, step).length;
    return done(
      d,
      `@${actor.login} already approved this; ${count} of ${gate.min_approvals} approvals so far.`,
    );
  }
  rec.approvals.push({
    by: actor.login,
    attempt: rec.attempt,
    at: d.ctx.now,
    step,
    sha256: sha,
    via: 'command',
    event: d.event.id,
    ...(note === undefined ? {} : { note: keptText(d, note) }),
    ...(override === undefined ? {} : { override }),
  });
  const count = countedApprovers(d, step).length;
  record(d, `${stage.id}: ${step} approved by @${actor.login} (${count} of ${gate.min_approvals})`, note);
  progress(d);
  return true;
}

/** Rejects the open gate: the stage halts with the reason until /retry or /cancel. */
export function reject(d: Draft, actor: Actor, reason: string, via: 'command' | 'review'): boolean {
  const step = openStep(d);
  if (step === undefined) return false;
  const stage = currentStage(d);
  const gate = step === 'prompt' ? stage.prompt_gate : stage.gate;
  const refusal = refusalToApprove(actor, gate, d.state.subject);
  if (refusal !== undefined) {
    return done(
      d,
      `@${actor.login} cannot reject: ${refusalWithApprovers(refusal, gate, 'Who may decide this gate')}`,
    );
  }
  const rec = stageRecord(d);
  rec.rejections.push({
    by: actor.login,
    attempt: rec.attempt,
    at: d.ctx.now,
    step,
    reason: keptText(d, reason),
    via,
    event: d.event.id,
  });
  if (stage.mode === 'manual') {
    // A person's content costs nothing to redo: the stage asks for new content at once, with the reason.
    reopenManual(d, `${stage.id}: content rejected by @${actor.login}`, reason);
    return true;
  }
  pauseRun(d, `the ${step} of "${stage.id}" was rejected by @${actor.login}: ${reason}`, 'retry');
  return true;
}

function retry(d: Draft, actor: Actor, feedback: string | undefined): boolean {
  const stage = currentStage(d);
  const rec = stageRecord(d);
  const wait = d.state.wait;
  const blocked = d.state.status === 'paused' && d.state.resume?.action !== 'retry';
  if (wait?.for === 'content' && !blocked) {
    return done(
      d,
      `Nothing to retry: stage "${stage.id}" waits for new content (attempt ${rec.attempt}); hand it in with \`/submit <content>\`.`,
    );
  }
  if (wait?.for === 'action' || wait?.for === 'delay' || blocked) {
    const why = blocked
      ? 'the run is paused; `/resume` it first'
      : `stage "${stage.id}" is still working on attempt ${rec.attempt}`;
    return done(d, `Nothing to retry: ${why}.`);
  }
  const human = wait?.for === 'approval' || wait?.for === 'answer';
  const gate = human && wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
  const refusal =
    d.state.status === 'failed'
      ? permissionRefusal(actor, 'write')
      : refusalToApprove(actor, gate, d.state.subject);
  if (refusal !== undefined) return done(d, `@${actor.login} cannot retry: ${refusal}.`);
  rec.retries++;
  // A person asked for this attempt: an AI approver gets its max_retries again.
  rec.visit_retries = 0;
  // A bare /retry after a rejection carries the rejection's reason: the next attempt hears why the last one failed.
  const reason = feedback === undefined ? lastRejection(rec) : undefined;
  if (feedback !== undefined) rec.feedback = keptText(d, feedback);
  else if (reason !== undefined) rec.feedback = reason.reason;
  else delete rec.feedback;
  delete rec.feedback_from;
  delete d.state.resume;
  delete d.state.last_error;
  d.state.status = 'running';
  d.state.wait = undefined;
  const why = reason === undefined ? feedback : `with the reason of ${rejecter(reason)}'s rejection`;
  record(d, `${stage.id}: retry requested by @${actor.login}`, why);
  startWork(d);
  return true;
}

/** The latest rejection of the stage's current attempt, whose reason a bare `/retry` hands to the next attempt. */
function lastRejection(rec: StageRecord): Rejection | undefined {
  return rec.rejections.filter((r) => r.attempt === rec.attempt && r.reason.trim() !== '').at(-1);
}

function rejecter(r: Rejection): string {
  return r.via === 'ai' ? r.by : `@${r.by}`;
}

function resume(d: Draft, actor: Actor): boolean {
  if (!needsPermission(d, actor, 'write', 'resume')) return false;
  const back = d.state.resume;
  if (d.state.status === 'failed')
    return done(d, 'The run has failed; `/retry [feedback]` runs the stage again, `/cancel` ends it.');
  if (d.state.status !== 'paused' || back === undefined) return done(d, 'The run is not paused.');
  if (back.action === 'retry') {
    return done(
      d,
      `The run stopped because ${back.reason}. \`/retry [feedback]\` runs the stage again; \`/cancel\` ends the run.`,
    );
  }
  d.state.status = back.status;
  delete d.state.resume;
  record(d, `resumed by @${actor.login}`);
  if (back.action === 'start') beginStage(d);
  else progress(d);
  const after: RunState = d.state; // the steps above may pause the run again (a budget still exceeded)
  const still = after.status === 'paused' ? after.resume?.reason : undefined;
  if (still !== undefined) return done(d, `The run stays paused: ${still}.`);
  return true;
}

function goto(d: Draft, actor: Actor, target: string, force: boolean): boolean {
  const need = force ? 'admin' : 'maintain';
  if (!needsPermission(d, actor, need, force ? 'force a move' : 'move the run')) return false;
  // The current stage may be gone from a changed workflow file; then the run may go to any of its stages.
  const stage = stageById(d.workflow, d.state.stage);
  if (stageById(d.workflow, target) === undefined) {
    const near = suggest(
      target,
      d.workflow.stages.map((s) => s.id),
    );
    return done(
      d,
      `There is no stage "${target}"${near === undefined ? '' : ` (did you mean "${near}"?)`}. Stages: ${d.workflow.stages.map((s) => s.id).join(', ')}.`,
    );
  }
  const exits = stage === undefined ? [] : exitsOf(stage);
  // A run whose stage the workflow file no longer has follows no transition: any stage of the definition will do.
  if (!force && stage !== undefined && !exits.includes(target)) {
    return done(
      d,
      `\`/flowgate goto\` follows a declared transition of "${d.state.stage}" (to ${exits.join(', ') || 'nothing'}); an admin can add \`--force\`.`,
    );
  }
  delete d.state.resume;
  delete d.state.last_error;
  d.state.status = 'running';
  enterStage(d, target, `moved by @${actor.login}${force ? ' (forced)' : ''}`);
  progress(d);
  return true;
}

/** A manual stage's content was sent back: a new attempt waits for content, the reason shown as its feedback. */
function reopenManual(d: Draft, what: string, reason: string): void {
  const rec = stageRecord(d);
  rec.retries++;
  rec.feedback = keptText(d, reason);
  record(d, what, reason);
  startWork(d);
}

/** The step whose gate waits for people now, or undefined after replying why nothing can be decided. */
function openStep(d: Draft): 'prompt' | 'response' | undefined {
  const wait = d.state.wait;
  const human = wait?.for === 'approval' || wait?.for === 'answer';
  if (d.state.status === 'awaiting_approval' && human) return wait.step;
  const stage = currentStage(d);
  if (wait?.for === 'content')
    reply(d, `Stage "${stage.id}" waits for its content first; nothing to approve yet.`);
  else if (wait?.for === 'action')
    reply(
      d,
      `Stage "${stage.id}" is still working (attempt ${stageRecord(d).attempt}); nothing to approve yet.`,
    );
  else if (wait?.for === 'condition')
    reply(
      d,
      `Nothing to approve: stage "${stage.id}" was approved and waits for a transition condition to hold (${describeWaitedConditions(waitedConditions(stage))}). \`/flowgate goto <stage>\` moves the run by hand.`,
    );
  else if (wait?.for === 'delay')
    reply(d, `The run waits until ${wait.until} before moving to "${wait.to}"; nothing to approve.`);
  else reply(d, `Nothing waits for approval: ${statusLine(d.workflow, d.state)}`);
  return undefined;
}

/** Who supplied the content of a step when a person did (a manual stage's output), to keep them from approving it. */
export function contentAuthor(d: Draft, step: 'prompt' | 'response'): string | undefined {
  const rec = stageRecord(d);
  return step === 'response' && rec.output?.attempt === rec.attempt ? rec.output.by : undefined;
}

function needsPermission(
  d: Draft,
  actor: Actor,
  minimum: 'write' | 'maintain' | 'admin',
  what: string,
): boolean {
  const refusal = permissionRefusal(actor, minimum);
  if (refusal === undefined) return true;
  reply(d, `@${actor.login} cannot ${what}: ${refusal}.`);
  return false;
}

function permissionRefusal(actor: Actor, minimum: 'write' | 'maintain' | 'admin'): string | undefined {
  return hasPermission(actor, minimum)
    ? undefined
    : `it needs ${minimum} permission, and @${actor.login} has ${actor.permission}`;
}

function done(d: Draft, text: string): false {
  reply(d, text);
  return false;
}
