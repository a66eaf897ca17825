import { didYouMean } from '../../core/suggest.ts';
import { type CliIo, UsageError } from '../io.ts';
import type { InitMode } from './plan-init-files.ts';

export interface InitFlags {
  mode?: string;
  workflow?: string;
  /** Take the defaults for anything not given as a flag, without asking. */
  yes: boolean;
}

const MODES: readonly InitMode[] = ['action', 'app'];
const DEFAULT_WORKFLOW = 'plan-implement-review-revise';

/**
 * The mode and the starting workflow: from the flags, else asked at a terminal, else (no terminal, or --yes) the
 * defaults: the Action alone, and plan-implement-review-revise.
 */
export async function chooseInitOptions(
  flags: InitFlags,
  examples: string[],
  io: CliIo,
): Promise<{ mode: InitMode; workflow: string }> {
  const ask = flags.yes ? undefined : io.ask;
  const modeAnswer =
    flags.mode ??
    (await ask?.(
      'Run flowgate with the GitHub App (app), or with the Action alone, nothing to host (action)? [action] ',
    ));
  const mode = pick(modeAnswer, MODES, 'action', '--mode');
  let workflowAnswer = flags.workflow;
  if (workflowAnswer === undefined && ask !== undefined) {
    const list = examples.map((name, i) => `  ${i + 1}. ${name}`).join('\n');
    workflowAnswer = await ask(
      `The workflow to start from:\n${list}\nNumber or name [${DEFAULT_WORKFLOW}]: `,
    );
    const number = Number(workflowAnswer);
    if (Number.isInteger(number) && number >= 1 && number <= examples.length) {
      workflowAnswer = examples[number - 1];
    }
  }
  const workflow = pick(workflowAnswer, examples, DEFAULT_WORKFLOW, '--workflow');
  return { mode: mode as InitMode, workflow };
}

function pick(
  answer: string | undefined,
  choices: readonly string[],
  fallback: string,
  flag: string,
): string {
  const value = answer?.trim().replace(/\.ya?ml$/, '') || fallback;
  if (choices.includes(value)) return value;
  throw new UsageError(
    `${flag}: "${value}" is not one of ${choices.join(', ')}${didYouMean(value, [...choices])}`,
  );
}
