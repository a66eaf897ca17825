import {
  type InteractiveIo,
  interactiveQuestion,
  interactiveStep,
} from '../core/simulate/interactive-step.ts';
import type { Workflow } from '../core/workflow.ts';
import {
  type GitHubSimulationOptions,
  type GitHubSimulationResult,
  simulateOnGitHub,
} from './simulate-on-github.ts';

/**
 * `simulateOnGitHub` with a person at the keyboard deciding whenever the run waits for people: each answer
 * (approve, reject <reason>, retry <feedback>, a slash command, content, a push, time passing) is made on the
 * in-memory GitHub as a scripted step would be, and what it did is shown as it happens.
 */
export async function interactiveOnGitHub(
  workflow: Workflow,
  file: GitHubSimulationOptions['file'],
  io: InteractiveIo,
): Promise<GitHubSimulationResult> {
  let shown = 0;
  const result = await simulateOnGitHub(workflow, {
    file,
    decide: async (state, entries) => {
      io.show(entries.slice(shown));
      shown = entries.length;
      for (;;) {
        const input = await io.ask(interactiveQuestion(workflow, state));
        if (input === undefined) return undefined;
        const answer = interactiveStep(input, workflow, state);
        if ('stop' in answer) return undefined;
        if ('say' in answer) io.say(answer.say);
        else return answer.step;
      }
    },
  });
  io.show(result.entries.slice(shown));
  return result;
}
