import { approverSystem } from './approver-instructions.ts';
import { callModel } from './call-model.ts';
import { ApproverAnswerSchema, parseApproverAnswer } from './parse-approver-answer.ts';
import type { ModelRequest, ModelUsage } from './types.ts';

/** An AI approver's decision on a stage's output. */
export interface ApproverVerdict {
  decision: 'approved' | 'rejected';
  feedback: string;
  usage: ModelUsage;
  /** Set when the answer could not be read: why. The decision is then always `rejected`. */
  malformed?: string;
}

/** The feedback of a rejection that gave none. */
export const DEFAULT_REJECTION_FEEDBACK = 'The AI approver rejected the output without saying why.';

/**
 * Asks an AI approver to judge: `request.system` holds the judging instructions, `request.prompt` the content to
 * judge. The answer is structured output constrained to `ApproverAnswerSchema` (the answer format,
 * `APPROVER_ANSWER_INSTRUCTIONS`, is added to the system text too), read with `parseApproverAnswer`. An answer that
 * is not that object (prose, an array, a quoted approval) counts as a rejection, never as an approval. A failed
 * call throws the ProviderError of `callModel`.
 */
export async function askApprover(request: ModelRequest): Promise<ApproverVerdict> {
  const answer = await callModel(
    { ...request, system: approverSystem(request.system) },
    ApproverAnswerSchema,
  );
  const parsed = parseApproverAnswer(answer.object, answer.text);
  if ('malformed' in parsed) {
    return {
      decision: 'rejected',
      feedback: `The answer of the AI approver "${request.name}" could not be read, so the output counts as rejected: ${parsed.malformed}.`,
      usage: answer.usage,
      malformed: parsed.malformed,
    };
  }
  const feedback =
    parsed.decision === 'rejected' && parsed.feedback === '' ? DEFAULT_REJECTION_FEEDBACK : parsed.feedback;
  return { decision: parsed.decision, feedback, usage: answer.usage };
}
