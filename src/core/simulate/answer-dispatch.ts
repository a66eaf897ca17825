import { formatCost } from '../render/format.ts';
import type { Usage } from '../state/run-state.ts';
import { offlineAnswer } from './offline-provider.ts';
import { fire, note, type Simulation, simulatedRun } from './simulation.ts';

/**
 * Answers the dispatch the run waits for as the Action would, with the offline provider (or the scripted answer
 * or decision waiting for this stage), and applies the result through the engine.
 */
export function answerDispatch(sim: Simulation): void {
  const state = sim.state;
  const wait = state?.wait;
  if (state === undefined || wait?.for !== 'action') return;
  const stage = state.stage;
  const attempt = state.stages[stage]?.attempt ?? 1;
  const answer = wait.step === 'response' ? take(sim.answers, stage) : undefined;
  const decision = wait.step === 'approver' ? take(sim.decisions, stage) : undefined;
  const result = offlineAnswer({
    run: simulatedRun(sim),
    stage,
    step: wait.step,
    ...(wait.of === undefined ? {} : { of: wait.of }),
    ...(answer === undefined ? {} : { answer }),
    ...(decision === undefined ? {} : { decision }),
  });
  const id = `action:${wait.nonce}`;
  const { nonce } = wait;
  const where = `${stage}, attempt ${attempt}`;
  switch (result.step) {
    case 'prompt': {
      fire(
        sim,
        { id, type: 'prompt.rendered', stage, nonce, sha256: result.sha256, pointer: result.pointer },
        `prompt.rendered ${where} (${result.text.length} characters)`,
      );
      if (sim.state?.stages[stage]?.prompt?.sha256 === result.sha256) sim.prompts[stage] = result.text;
      return;
    }
    case 'response': {
      const { text, sha256, pointer, usage, verdict, choice } = result;
      const event = {
        id,
        type: 'response.received' as const,
        stage,
        nonce,
        sha256,
        pointer,
        usage,
        ...(verdict === undefined ? {} : { verdict }),
        ...(choice === undefined ? {} : { choice }),
      };
      const facts = [
        ...(pointer.pull_number === undefined
          ? []
          : [`pull request #${pointer.pull_number} at ${sha256.slice(0, 7)}`]),
        ...(verdict === undefined ? [] : [`verdict ${verdict.toUpperCase()}`]),
        ...(choice === undefined ? [] : [`chose ${choice}`]),
        usageText(usage),
      ];
      fire(
        sim,
        event,
        `response.received ${where}${result.scripted ? ' (scripted)' : ''}: ${facts.join(', ')}`,
      );
      if (sim.state?.stages[stage]?.output?.sha256 === sha256) sim.texts[stage] = text;
      return;
    }
    case 'approver': {
      const { decision: said, feedback, usage } = result;
      const event = { id, type: 'approver.decided' as const, stage, nonce, decision: said, feedback, usage };
      const why = feedback === '' ? '' : `: ${feedback}`;
      fire(
        sim,
        event,
        `approver.decided ${where}${result.scripted ? ' (scripted)' : ''}: ${said.toUpperCase()} (${usageText(usage)})${why}`,
      );
      return;
    }
    case 'failed':
      fire(
        sim,
        { id, type: 'stage.failed', stage, nonce, error: result.error },
        `stage.failed ${where}${result.scripted ? ' (scripted)' : ''}: ${result.error}`,
      );
      return;
    case 'silent':
      sim.silent = nonce;
      note(
        sim,
        `no ${wait.step} arrives for ${where} (scripted): the run waits until its deadline, ${wait.deadline}`,
      );
      return;
  }
}

/** Removes and returns the first override waiting for `stage`. */
function take<T extends { stage: string }>(list: T[], stage: string): T | undefined {
  const i = list.findIndex((o) => o.stage === stage);
  return i === -1 ? undefined : list.splice(i, 1)[0];
}

function usageText(usage: Usage): string {
  return `${usage.tokens_in + usage.tokens_out} tokens, ${formatCost(usage.cost_usd)}`;
}
