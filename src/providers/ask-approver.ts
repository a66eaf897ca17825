import { cutQuestion } from '../core/ask-human.ts';
import { approverSystem } from './approver-instructions.ts';
import { callModel } from './call-model.ts';
import {
  ApproverAnswerOrQuestionSchema,
  ApproverAnswerSchema,
  parseApproverAnswer,
} from './parse-approver-answer.ts';
import type { ModelRequest, ModelUsage } from './types.ts';

/** An AI approver's decision on a stage's output. */
export interface ApproverVerdict {
  /** `ask_human` only when the caller offered it: the approver asks people `question` instead of deciding. */
  decision: 'approved' | 'rejected' | 'ask_human';
  feedback: string;
  /** With `ask_human`: the question (at most MAX_QUESTION_CHARS). */
  question?: string;
  usage: ModelUsage;
  /** Set when the answer could not be read: why. The decision is then always `rejected`. */
  malformed?: string;
}

/** How an approver is asked. */
export interface ApproverOptions {
  /** Offer the decision `ask_human` (the gate sets `ask_human`): the approver may ask people instead of deciding. */
  askHuman?: boolean;
}

/** The feedback of a rejection that gave none. */
export const DEFAULT_REJECTION_FEEDBACK = 'The AI approver rejected the output without saying why.';

/**
 * Asks an AI approver to judge: `request.system` holds the judging instructions, `request.prompt` the content to
 * judge. The answer is structured output constrained to `ApproverAnswerSchema` (the answer format,
 * `APPROVER_ANSWER_INSTRUCTIONS`, is added to the system text too), read with `parseApproverAnswer`. An answer that
 * is not that object (prose, an array, a quoted approval) counts as a rejection, never as an approval. A failed
 * call throws the ProviderError of `callModel`. With `options.askHuman`, the schema allows a third decision,
 * `ask_human`, whose `feedback` is the question for people (cut to MAX_QUESTION_CHARS); one without a question is
 * a rejection.
 */
export async function askApprover(
  request: ModelRequest,
  options: ApproverOptions = {},
): Promise<ApproverVerdict> {
  const askHuman = options.askHuman === true;
  const answer = await callModel(
    { ...request, system: approverSystem(request.system, askHuman) },
    askHuman ? ApproverAnswerOrQuestionSchema : ApproverAnswerSchema,
  );
  const parsed = parseApproverAnswer(answer.object, answer.text, askHuman);
  if ('malformed' in parsed) {
    return {
      decision: 'rejected',
      feedback: `The answer of the AI approver "${request.name}" could not be read, so the output counts as rejected: ${parsed.malformed}.`,
      usage: answer.usage,
      malformed: parsed.malformed,
    };
  }
  if (parsed.decision === 'ask_human') {
    if (parsed.feedback === '') {
      return {
        decision: 'rejected',
        feedback: `The AI approver "${request.name}" asked people a question without saying what, so the output counts as rejected.`,
        usage: answer.usage,
        malformed: 'the decision ask_human came with no question',
      };
    }
    const question = cutQuestion(parsed.feedback);
    return { decision: 'ask_human', feedback: '', question, usage: answer.usage };
  }
  const feedback =
    parsed.decision === 'rejected' && parsed.feedback === '' ? DEFAULT_REJECTION_FEEDBACK : parsed.feedback;
  return { decision: parsed.decision, feedback, usage: answer.usage };
}
