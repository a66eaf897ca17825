import { z } from 'zod';

/** What an AI approver decided, or why its answer cannot be read. */
export type ApproverAnswer =
  | { decision: 'approved' | 'rejected' | 'ask_human'; feedback: string }
  | { malformed: string };

/**
 * The answer an AI approver gives, as structured output: the API constrains the model to this schema (Anthropic
 * `output_config.format`, OpenAI `text.format` json_schema, Gemini `responseJsonSchema`, chat completions
 * `response_format`), and the AI SDK checks it again.
 */
export const ApproverAnswerSchema = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
  feedback: z.string(),
});

/** The answer of an AI approver that may ask people (`ask_human` on its gate): the question is in `feedback`. */
export const ApproverAnswerOrQuestionSchema = z.strictObject({
  decision: z.enum(['approved', 'rejected', 'ask_human']),
  feedback: z.string(),
});

/**
 * Reads an AI approver's structured answer. Nothing is searched for in prose: an answer that is not exactly one
 * object of `ApproverAnswerSchema` (with `askHuman`, of `ApproverAnswerOrQuestionSchema`) (prose quoting an approval, an array holding one, a decision in other words) is
 * `malformed`, which the caller counts as a rejection.
 */
export function parseApproverAnswer(object: unknown, text: string, askHuman = false): ApproverAnswer {
  if (object === undefined) {
    return text.trim() === ''
      ? { malformed: 'the answer was empty' }
      : { malformed: `the answer is not the structured decision asked for (it reads "${excerpt(text)}")` };
  }
  const parsed = (askHuman ? ApproverAnswerOrQuestionSchema : ApproverAnswerSchema).safeParse(object);
  if (!parsed.success) {
    return {
      malformed: `the answer does not fit the decision's schema (${excerpt(JSON.stringify(object))})`,
    };
  }
  return { decision: parsed.data.decision, feedback: parsed.data.feedback.trim() };
}

function excerpt(text: string): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}
