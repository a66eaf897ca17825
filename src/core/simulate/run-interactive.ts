import type { Workflow } from '../workflow.ts';
import { applyStep } from './apply-step.ts';
import { interactiveQuestion, interactiveStep } from './interactive-step.ts';
import {
  advance,
  createSimulation,
  finishSimulation,
  type SimulationResult,
  stopWaiting,
} from './run-simulation.ts';
import type { TranscriptEntry } from './simulation.ts';

export interface InteractiveIo {
  /** Asks the person at the keyboard; undefined when input ends. */
  ask: (question: string) => Promise<string | undefined>;
  /** Shows transcript entries as they happen, and answers to unusable input. */
  show: (entries: readonly TranscriptEntry[]) => void;
  say: (text: string) => void;
}

/**
 * The simulation with a person deciding at every gate: the run moves on by itself until it waits for people, then
 * the person's answer (approve, reject <reason>, retry <feedback>, a slash command...) is applied as a step.
 */
export async function runInteractiveSimulation(
  workflow: Workflow,
  io: InteractiveIo,
): Promise<SimulationResult> {
  const sim = createSimulation(workflow);
  let shown = 0;
  const flush = () => {
    io.show(sim.entries.slice(shown));
    shown = sim.entries.length;
  };
  while (advance(sim) === 'people') {
    flush();
    const state = sim.state;
    if (state === undefined) break;
    const input = await io.ask(interactiveQuestion(workflow, state));
    const answer = input === undefined ? ({ stop: true } as const) : interactiveStep(input, workflow, state);
    if ('stop' in answer) {
      stopWaiting(sim, 'stopped at the prompt');
      break;
    }
    if ('say' in answer) io.say(answer.say);
    else applyStep(sim, answer.step);
  }
  flush();
  return finishSimulation(sim);
}
