import { boundText, eventSource, TEXT_KEPT } from '../state/bounded-text.ts';
import { countedApprovals } from '../state/counted-approvals.ts';
import type { StageRecord } from '../state/run-state.ts';
import { type ResolvedGate, stageById } from '../workflow.ts';
import { overBudget } from './budget.ts';
import { chooseTransition } from './choose-transition.ts';
import { addMinutes, currentStage, type Draft, excerpt, record, stageRecord } from './draft.ts';
import { describeApprovers } from './eligibility.ts';

/** At most this many stages may be entered in one step; more means a loop that never waits. */
const MAX_STAGES_PER_STEP = 50;

/**
 * Enters a stage: records the visit and starts what its mode does. With `begin` false the visit is recorded but
 * nothing starts (a paused run), and `beginStage` starts it later.
 */
export function enterStage(d: Draft, id: string, why: string, begin = true): void {
  if (++d.entered > MAX_STAGES_PER_STEP) {
    failRun(
      d,
      `the run moved through ${MAX_STAGES_PER_STEP} stages without waiting for anything; check the workflow for a loop`,
    );
    return;
  }
  const from = d.state.stage;
  const stage = stageById(d.workflow, id);
  if (stage === undefined) {
    failRun(d, `stage "${id}" does not exist in workflow "${d.workflow.name}"`);
    return;
  }
  d.state.stage = id;
  d.state.wait = undefined;
  const rec = stageRecord(d, id);
  rec.visits++;
  rec.visit_retries = 0;
  delete rec.feedback;
  delete rec.feedback_from;
  delete rec.asked;
  record(d, from === id && rec.visits === 1 ? `started at ${id}` : `${from} -> ${id}`, why);
  handOnFeedback(d, id);
  if (begin) beginStage(d);
}

/**
 * Gives the stage just entered the note an override handed on (`d.handOn`) as its feedback, once: its prompt reads
 * it as `{{ feedback }}`, and the Action adds it to the prompt. Re-entering the overridden stage itself makes it
 * plain feedback on that stage's last output (a retry's).
 */
function handOnFeedback(d: Draft, id: string): void {
  const note = d.handOn;
  if (note === undefined) return;
  delete d.handOn;
  const rec = stageRecord(d, id);
  rec.feedback = note.feedback;
  if (note.from !== id) rec.feedback_from = note.from;
  record(d, `${id}: feedback from the verdict override of ${note.from}`, note.feedback);
}

/** Starts what the current stage does: a terminal stage completes the run, any other starts its work. */
export function beginStage(d: Draft): void {
  const stage = currentStage(d);
  if (stage.type === 'terminal') {
    for (const action of stage.run ?? []) d.effects.push({ type: 'system.action', stage: stage.id, action });
    if (stage.archive !== undefined) d.effects.push({ type: 'subject.archive', ...stage.archive });
    d.state.status = 'completed';
    d.state.completed_at = d.ctx.now;
    delete d.state.resume;
    record(d, 'completed');
    return;
  }
  startWork(d);
}

/** Starts (or restarts) the work of the current stage: a new attempt. */
export function startWork(d: Draft): void {
  const stage = currentStage(d);
  const rec = stageRecord(d);
  if (stage.mode === 'manual') {
    rec.attempt++;
    // Bound to the event that began the wait when GitHub's time or comment of it is known: content posted before it
    // (read later, or in the same pass) never counts, whatever order the deliveries came in.
    d.state.wait = {
      for: 'content',
      ...(d.ctx.at === undefined ? {} : { since: d.ctx.at }),
      ...(d.ctx.comment_id === undefined ? {} : { after: d.ctx.comment_id }),
    };
    d.state.status = 'awaiting_approval';
    requestContent(d);
    return;
  }
  if (stage.mode === 'system') {
    rec.attempt++;
    for (const action of stage.run ?? []) d.effects.push({ type: 'system.action', stage: stage.id, action });
    rec.output = { attempt: rec.attempt, sha256: `system:${rec.attempt}`, pointer: {} };
    openGate(d, 'response');
    return;
  }
  const budget = overBudget(d.workflow, d.state, stage);
  if (budget !== undefined) {
    pauseRun(d, `stage "${stage.id}" was not started: ${budget}`, 'start');
    return;
  }
  rec.attempt++;
  dispatch(d, stage.prompt_gate.approver === 'skip' ? 'response' : 'prompt');
}

/** Asks the Action to work on the current stage: render the prompt, answer it, or judge it as an AI approver. */
export function dispatch(
  d: Draft,
  step: 'prompt' | 'response' | 'approver',
  of?: 'prompt' | 'response',
): void {
  const stage = currentStage(d);
  const rec = stageRecord(d);
  const nonce = d.dispatches === 0 ? d.ctx.nonce : `${d.ctx.nonce}.${d.dispatches}`;
  d.dispatches++;
  const minutes = stage.timeout_minutes ?? d.workflow.limits.timeout_minutes;
  d.state.wait = {
    for: 'action',
    step,
    ...(of === undefined ? {} : { of }),
    nonce,
    deadline: addMinutes(d.ctx.now, minutes),
  };
  // Work already asked for may finish while a run is paused; the pause holds the run at its next gate.
  if (d.state.status !== 'paused') d.state.status = 'running';
  d.effects.push({ type: 'dispatch', stage: stage.id, attempt: rec.attempt, nonce, step });
  d.effects.push({ type: 'timer.schedule', at: d.state.wait.deadline });
}

/** The content of a step is ready: its gate decides what happens next. */
export function openGate(d: Draft, step: 'prompt' | 'response'): void {
  const stage = currentStage(d);
  const rec = stageRecord(d);
  const gate = step === 'prompt' ? stage.prompt_gate : stage.gate;
  if (gate.approver === 'skip') {
    rec.approvals.push({
      by: 'flowgate',
      attempt: rec.attempt,
      at: d.ctx.now,
      step,
      sha256: contentSha(d, step),
      via: 'skip',
      event: d.event.id,
    });
    passGate(d, step);
    return;
  }
  if (gate.approver.startsWith('ai:')) {
    dispatch(d, 'approver', step);
    return;
  }
  d.state.wait = { for: 'approval', step, opened_at: d.ctx.now };
  d.state.status = 'awaiting_approval';
  const what = step === 'prompt' ? `the prompt of "${stage.name}"` : `the output of "${stage.name}"`;
  const how =
    gate.approver === 'review'
      ? 'approve the pull request review'
      : 'comment /approve, /reject <reason> or /retry [feedback]';
  notify(d, gate, `${what} waits for approval by ${describeApprovers(gate)}: ${how}`);
}

/** A gate passed: after the prompt, the model answers; after the response, the run moves on. */
export function passGate(d: Draft, step: 'prompt' | 'response'): void {
  if (step === 'prompt') dispatch(d, 'response');
  else leaveStage(d);
}

/**
 * Leaves the current stage by its first transition that holds. When none holds and there is no fallback, the run
 * waits in the stage for a condition (`progress` tries again on every later event); a condition that cannot be
 * evaluated fails the run, since waiting would not mend it.
 */
function leaveStage(d: Draft): void {
  const stage = currentStage(d);
  const choice = chooseTransition(stage, d.state, d.ctx.labels);
  if ('error' in choice) {
    failRun(d, choice.error);
    return;
  }
  if ('waiting' in choice) {
    if (d.state.wait?.for === 'condition') return; // still waiting: nothing to record
    d.state.wait = { for: 'condition', since: d.ctx.now };
    d.state.status = 'running';
    const list = choice.waiting.map((c) => `${c.when} (to ${c.to})`).join('; ');
    record(d, `${stage.id}: waiting for a transition condition`, list);
    return;
  }
  handOnOverrideNote(d);
  const by = stageRecord(d).output?.verdict_by;
  const verdict = stageRecord(d).output?.verdict;
  if (by !== undefined && verdict !== undefined)
    choice.why = `${choice.why} (verdict ${verdict.toUpperCase()}, edited by @${by})`;
  if (stage.delay !== undefined && stage.delay > 0) {
    const until = new Date(Date.parse(d.ctx.now) + stage.delay * 1000).toISOString();
    d.state.wait = { for: 'delay', until, to: choice.to };
    d.state.status = 'running';
    d.effects.push({ type: 'timer.schedule', at: until });
    record(d, `waiting until ${until} before ${choice.to}`, choice.why);
    return;
  }
  enterStage(d, choice.to, choice.why);
}

/**
 * The note of the latest verdict override (`/approve --revise|--complete <note>`) among the approvals of the
 * current stage's output, kept for the next stage entered (`d.handOn`): what that stage is told.
 */
function handOnOverrideNote(d: Draft): void {
  const note = overrideNote(stageRecord(d));
  if (note !== undefined) d.handOn = { feedback: note, from: d.state.stage };
}

function overrideNote(rec: StageRecord): string | undefined {
  const sha = rec.output?.sha256;
  const given = rec.approvals.filter(
    (a) =>
      a.step === 'response' &&
      a.attempt === rec.attempt &&
      a.sha256 === sha &&
      a.override !== undefined &&
      a.note !== undefined,
  );
  return given.at(-1)?.note;
}

/** The sha256 that approvals of `step` bind to: the prompt's, or the output's (a PR head sha for code). */
export function contentSha(d: Draft, step: 'prompt' | 'response'): string {
  const rec = stageRecord(d);
  return (step === 'prompt' ? rec.prompt?.sha256 : rec.output?.sha256) ?? '';
}

/** Distinct people whose approval of the current attempt's current content still counts. */
export function countedApprovers(d: Draft, step: 'prompt' | 'response'): string[] {
  return countedApprovals(stageRecord(d), step).map((a) => a.by);
}

export function failRun(d: Draft, error: string): void {
  d.state.status = 'failed';
  d.state.last_error = boundText(error, TEXT_KEPT, eventSource(d.event.id));
  d.state.wait = undefined;
  d.state.resume = { status: 'running', reason: excerpt(d, error), action: 'retry' };
  record(d, 'failed', error);
}

export function pauseRun(d: Draft, reason: string, action: 'continue' | 'start' | 'retry'): void {
  // A stage that was not started waits for nobody, even when the step that led to it was an approval.
  const waiting = d.state.status === 'awaiting_approval' && d.state.wait !== undefined;
  const back = waiting ? 'awaiting_approval' : 'running';
  d.state.resume = { status: back, reason: excerpt(d, reason), action };
  d.state.status = 'paused';
  record(d, 'paused', reason);
}

/**
 * Asks for a manual stage's content: the shell posts the rendered `instructions`, who is asked and how to hand the
 * content in, with the feedback that sent the previous attempt back (and who gave it) when there is one.
 */
function requestContent(d: Draft): void {
  const stage = currentStage(d);
  const rec = stageRecord(d);
  const { users, teams, codeowners } = stage.gate.approvers;
  // The feedback is the reason of the rejection that ended the previous attempt (a person's or an AI approver's),
  // else what the person who asked for this attempt (`/retry <feedback>`) wrote.
  const last = rec.rejections.at(-1);
  const rejected = last !== undefined && last.attempt === rec.attempt - 1 && last.reason === rec.feedback;
  const from = rejected ? last.by : d.actor;
  d.effects.push({
    type: 'content.request',
    stage: stage.id,
    attempt: rec.attempt,
    users,
    teams,
    codeowners,
    ...(rec.feedback === undefined ? {} : { feedback: { by: from, text: rec.feedback } }),
  });
}

/** Mentions the people who may decide `gate` (the prompt gate's own approvers for a prompt). */
function notify(d: Draft, gate: ResolvedGate, text: string): void {
  const { users, teams, codeowners } = gate.approvers;
  d.effects.push({ type: 'notify', users, teams, codeowners, text });
}

/**
 * Moves the run forward as far as the recorded facts allow: the level-triggered heart of the engine. Events only
 * record facts (an output arrived, someone approved); this decides what they mean.
 */
export function progress(d: Draft): void {
  for (let guard = 0; guard < 4 * MAX_STAGES_PER_STEP; guard++) {
    if (d.state.status !== 'running' && d.state.status !== 'awaiting_approval') return;
    const wait = d.state.wait;
    if (wait === undefined) return;
    const rec = stageRecord(d);
    const stage = currentStage(d);
    const before = JSON.stringify(wait);
    switch (wait.for) {
      case 'action':
        if (wait.step === 'prompt' && rec.prompt?.attempt === rec.attempt) openGate(d, 'prompt');
        else if (wait.step === 'response' && rec.output?.attempt === rec.attempt) openGate(d, 'response');
        else if (wait.step === 'approver') {
          const of = wait.of ?? 'response';
          const sha = contentSha(d, of);
          const approved = rec.approvals.some(
            (a) => a.via === 'ai' && a.step === of && a.attempt === rec.attempt && a.sha256 === sha,
          );
          if (approved) passGate(d, of);
        }
        break;
      case 'approval': {
        const gate = wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
        if (countedApprovers(d, wait.step).length >= gate.min_approvals) passGate(d, wait.step);
        break;
      }
      case 'answer': {
        // An AI approver asked people: a person's /approve decides the gate instead of an answer.
        const gate = wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
        const decided =
          wait.from === 'approver' && countedApprovers(d, wait.step).length >= gate.min_approvals;
        if (decided) passGate(d, wait.step);
        break;
      }
      case 'content':
        if (rec.output?.attempt === rec.attempt) openGate(d, 'response');
        break;
      case 'condition':
        leaveStage(d);
        break;
      case 'delay':
        if (Date.parse(d.ctx.now) >= Date.parse(wait.until)) {
          handOnOverrideNote(d);
          enterStage(d, wait.to, 'delay over');
        }
        break;
    }
    if (JSON.stringify(d.state.wait) === before && d.state.stage === stage.id) return;
  }
}

/** Ends the run as cancelled; final, like completed. */
export function cancelRun(d: Draft, reason?: string): void {
  d.state.status = 'cancelled';
  d.state.wait = undefined;
  delete d.state.resume;
  d.state.completed_at = d.ctx.now;
  record(d, 'cancelled', reason);
}
