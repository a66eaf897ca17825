import { describeApprovers } from '../engine/eligibility.ts';
import { waitedConditions } from '../engine/waited-conditions.ts';
import { DurationSchema } from '../schema/names.ts';
import type { RunState } from '../state/run-state.ts';
import { stageById, type Workflow } from '../workflow.ts';
import { defaultStep } from './default-step.ts';
import { DEFAULT_PERSON } from './people.ts';
import type { ScriptStep } from './script.ts';
import type { TranscriptEntry } from './simulation.ts';

export interface InteractiveIo {
  /** Asks the person at the keyboard; undefined when input ends. */
  ask: (question: string) => Promise<string | undefined>;
  /** Shows transcript entries as they happen, and answers to unusable input. */
  show: (entries: readonly TranscriptEntry[]) => void;
  say: (text: string) => void;
}

export type InteractiveAnswer = { step: ScriptStep } | { stop: true } | { say: string };

export const INTERACTIVE_HELP = [
  'Answers (as @maintainer unless you start with @login):',
  '  Enter                 what the default script does here (approve, or write the content)',
  '  approve [note]        /approve, or an approving pull request review where the gate wants one',
  '  reject <reason>       /reject, or a review that requests changes where the gate wants a review',
  '  retry [feedback]      /retry: run the stage again',
  '  answer <text>         /answer: answer the question a model asked',
  '  /<command> ...        any slash command, e.g. /approve --complete, /pause, /flowgate goto plan',
  '  content <text>        the content of a manual stage (at a content prompt, any text is the content)',
  '  push                  push a commit to the pull request',
  '  label <name>          add a label to the subject (unlabel <name> removes one)',
  '  wait <duration>       let time pass (30s, 5m, 2h, 1d)',
  '  quit                  stop here',
].join('\n');

/** What the run waits for, as a question for the person at the keyboard. */
export function interactiveQuestion(workflow: Workflow, state: RunState): string {
  const stage = stageById(workflow, state.stage);
  const wait = state.wait;
  const name = stage?.id ?? state.stage;
  if (state.status === 'failed')
    return `The run failed at "${name}": ${state.last_error ?? 'unknown error'}\nretry [feedback], /cancel or quit > `;
  if (state.status === 'paused')
    return `The run is paused at "${name}": ${state.resume?.reason ?? 'paused'}\n/resume, retry [feedback], /cancel or quit > `;
  if (wait?.for === 'content')
    return `Stage "${name}" waits for its content. Type it (it is handed in with /submit), or a /command, or quit > `;
  if (wait?.for === 'answer') {
    const asker = wait.from === 'model' ? 'The model' : 'The AI approver';
    const decide = wait.from === 'approver' ? 'approve [note], ' : '';
    return `${asker} of "${name}" asks: ${wait.question}\nanswer <text>, ${decide}reject <reason>, retry [feedback], a /command, help or quit (Enter answers) > `;
  }
  if (wait?.for === 'approval' && stage !== undefined) {
    const gate = wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
    const how = gate.approver === 'review' ? 'a pull request review approval' : 'approval';
    return `The ${wait.step} of "${name}" waits for ${how} by ${describeApprovers(gate)}.\napprove [note], reject <reason>, retry [feedback], a /command, help or quit (Enter approves) > `;
  }
  if (wait?.for === 'condition' && stage !== undefined) {
    const conditions = waitedConditions(stage)
      .map((c) => `${c.when} (to ${c.to})`)
      .join(' or ');
    return `Stage "${name}" waits for a transition condition: ${conditions}.\nlabel <name>, unlabel <name>, a /command, wait <duration>, help or quit > `;
  }
  return `The run waits at "${name}". A /command, wait <duration>, help or quit > `;
}

/** Turns what the person typed into a script step, or says why it cannot. */
export function interactiveStep(input: string, workflow: Workflow, state: RunState): InteractiveAnswer {
  let text = input.trim();
  let by = DEFAULT_PERSON;
  const as = /^@([A-Za-z0-9-]+(?:\[bot\])?)\s+(.*)$/s.exec(text);
  if (as?.[1] !== undefined && as[2] !== undefined) {
    by = as[1];
    text = as[2].trim();
  }
  const word = text.split(/\s+/)[0] ?? '';
  const arg = text.slice(word.length).trim();
  const stage = stageById(workflow, state.stage);
  const wait = state.wait;
  const review = wait?.for === 'approval' && wait.step === 'response' && stage?.gate.approver === 'review';
  const comment = (body: string): InteractiveAnswer => ({ step: { kind: 'comment', comment: { by, body } } });
  switch (word.toLowerCase()) {
    case '': {
      const step = defaultStep(workflow, state);
      return step === undefined
        ? { say: 'Nothing to do by default here; type an answer (help lists them).' }
        : { step };
    }
    case 'q':
    case 'quit':
    case 'exit':
      return { stop: true };
    case '?':
    case 'help':
      return { say: INTERACTIVE_HELP };
    case 'approve': {
      const who = as === null ? approverOf(workflow, state) : by;
      if (review) return { step: { kind: 'review', review: { by: who, state: 'approved', body: arg } } };
      return { step: { kind: 'comment', comment: { by: who, body: `/approve ${arg}`.trim() } } };
    }
    case 'reject':
      if (arg === '') return { say: 'reject needs a reason: reject <reason>' };
      if (review) return { step: { kind: 'review', review: { by, state: 'changes_requested', body: arg } } };
      return comment(`/reject ${arg}`);
    case 'retry':
      return comment(`/retry ${arg}`.trim());
    case 'answer': {
      if (arg === '') return { say: 'answer needs the text: answer <text>' };
      const who = as === null ? approverOf(workflow, state) : by;
      return { step: { kind: 'comment', comment: { by: who, body: `/answer ${arg}` } } };
    }
    case 'content':
      return {
        step: { kind: 'content', content: { by, body: arg === '' ? `Content written by @${by}.` : arg } },
      };
    case 'push':
      return { step: { kind: 'push', push: { by } } };
    case 'label':
    case 'unlabel': {
      if (arg === '')
        return { say: `${word.toLowerCase()} needs a label name: ${word.toLowerCase()} <name>` };
      const change = { by, name: arg };
      return {
        step:
          word.toLowerCase() === 'label'
            ? { kind: 'label', label: change }
            : { kind: 'unlabel', unlabel: change },
      };
    }
    case 'wait': {
      const duration = DurationSchema.safeParse(/^\d+$/.test(arg) ? Number(arg) : arg);
      return duration.success
        ? { step: { kind: 'wait', wait: duration.data } }
        : { say: 'wait needs a duration such as 30s, 5m, 2h or 1d' };
    }
  }
  if (text.startsWith('/')) return comment(text);
  if (wait?.for === 'content' && state.status === 'awaiting_approval')
    return { step: { kind: 'content', content: { by, body: text } } };
  return { say: `"${word}" is not an answer here; help lists them.` };
}

/** Who approves by default: the next simulated maintainer whose approval still counts. */
function approverOf(workflow: Workflow, state: RunState): string {
  const step = defaultStep(workflow, state);
  if (step?.kind === 'review') return step.review.by;
  if (step?.kind === 'comment') return step.comment.by;
  return DEFAULT_PERSON;
}
