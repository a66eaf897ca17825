import { cutQuestion } from '../ask-human.ts';
import { MAX_ASKED } from '../state/run-state.ts';
import { currentStage, type Draft, keptText, record, reply, stageRecord } from './draft.ts';
import { describeApprovers, refusalToApprove, refusalWithApprovers } from './eligibility.ts';
import type { Actor } from './events.ts';
import { dispatch, startWork } from './movement.ts';
import { statusLine } from './status-line.ts';

/**
 * A model asked people a question instead of deciding (`ask_human`): the stage's model while answering
 * (`from: model`), or the gate's AI approver while judging `step`. The run waits at a human gate (status
 * `awaiting_approval`, wait `answer`) and the gate's approvers are mentioned with the question. A run paused
 * meanwhile stays paused, and returns to this wait on `/resume`.
 */
export function askPeople(
  d: Draft,
  from: 'model' | 'approver',
  step: 'prompt' | 'response',
  question: string,
): void {
  const stage = currentStage(d);
  const gate = step === 'prompt' ? stage.prompt_gate : stage.gate;
  const asked = cutQuestion(question);
  d.state.wait = { for: 'answer', from, step, question: asked, opened_at: d.ctx.now };
  if (d.state.status === 'paused' && d.state.resume !== undefined)
    d.state.resume.status = 'awaiting_approval';
  else d.state.status = 'awaiting_approval';
  const asker = from === 'model' ? `the model of "${stage.name}"` : `the AI approver \`${gate.approver}\``;
  record(
    d,
    `${stage.id}: ${from === 'model' ? 'the model' : gate.approver} asks a person${from === 'approver' ? ` about the ${step}` : ''}`,
    asked,
    'flowgate',
  );
  const decide =
    from === 'approver'
      ? `, decide the ${step} yourselves with \`/approve\` or \`/reject <reason>\``
      : ', `/reject <reason>` stops the stage';
  const { users, teams, codeowners } = gate.approvers;
  d.effects.push({
    type: 'notify',
    users,
    teams,
    codeowners,
    text: `${asker} asks a question before it goes on. ${describeApprovers(gate)} may answer with \`/answer <text>\`${decide}, or \`/retry [feedback]\` runs the stage again`,
    question: asked,
    key: `question:${d.state.id}:${d.event.id}`,
  });
}

/**
 * `/answer <text>`: answers the question the run waits on. Who may answer is who may decide the gate. The stage's
 * model works on a new attempt with the question and the answer (the answer is also the stage's `feedback`); an AI
 * approver is asked again about the same content, with the question and the answer. True when applied.
 */
export function answerQuestion(d: Draft, actor: Actor, text: string): boolean {
  const wait = d.state.wait;
  if (wait?.for !== 'answer') {
    reply(d, `No question waits for an answer: ${statusLine(d.workflow, d.state)}`);
    return false;
  }
  if (d.state.status !== 'awaiting_approval') {
    reply(d, 'The run is paused; `/resume` it first, then answer.');
    return false;
  }
  const stage = currentStage(d);
  const gate = wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
  const refusal = refusalToApprove(actor, gate, d.state.subject);
  if (refusal !== undefined) {
    reply(d, `@${actor.login} cannot answer: ${refusalWithApprovers(refusal, gate, 'Who may answer')}`);
    return false;
  }
  const rec = stageRecord(d);
  const answer = keptText(d, text);
  const entry = {
    attempt: rec.attempt,
    from: wait.from,
    step: wait.step,
    question: wait.question,
    answer,
    by: actor.login,
  };
  rec.asked = [...(rec.asked ?? []), entry].slice(-MAX_ASKED);
  record(d, `${stage.id}: question answered by @${actor.login}`, text);
  d.state.status = 'running';
  d.state.wait = undefined;
  if (wait.from === 'model') {
    rec.feedback = answer;
    startWork(d);
  } else {
    dispatch(d, 'approver', wait.step);
  }
  return true;
}
