import { z } from 'zod';
import { MAX_QUESTION_CHARS } from './ask-human.ts';
import { UsageSchema } from './state/run-state.ts';

/** 64 lowercase hex digits, as `sha256Hex` writes them. */
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256: 64 lowercase hex digits');

/**
 * Which comment of a text split over several comments this is: `index` counts from 1 up to `count`. Absent when
 * the text fits in one comment.
 */
export const OutputPartSchema = z.strictObject({
  /** 1 for the first comment. */
  index: z.number().int().min(1),
  /** How many comments the text takes in all. */
  count: z.number().int().min(1),
});

/** What every output marker carries: the dispatch it answers (the workflow_dispatch inputs). */
const dispatch = {
  /** The run id (the `run_id` input). */
  run: z.string().min(1),
  /** The stage id (the `stage` input). */
  stage: z.string().min(1),
  /** The stage attempt (the `attempt` input), from 1. */
  attempt: z.number().int().min(1),
  /** The dispatch's nonce (the `nonce` input); a result with another nonce is ignored. */
  nonce: z.string().min(1),
};

/**
 * A question a model asks people instead of deciding (only where the gate sets `ask_human`): the run waits at a
 * human gate until someone answers. Model text: shown inert, never as Markdown that could mention anyone.
 */
export const AskHumanSchema = z.strictObject({
  question: z.string().min(1).max(MAX_QUESTION_CHARS),
});

/** The `prompt` step: the stage's rendered instructions, posted so people can read, edit and approve them. */
export const PromptOutputSchema = z.strictObject({
  kind: z.literal('prompt'),
  ...dispatch,
  /** sha256 of the comment's visible body, exactly as posted. */
  sha256: Sha256Hex,
  part: OutputPartSchema.optional(),
});

/** The `response` step: the model's answer, or (for code) the comment that points at the pull request. */
export const ResponseOutputSchema = z.strictObject({
  kind: z.literal('response'),
  ...dispatch,
  /** sha256 of the comment's visible body, exactly as posted. */
  sha256: Sha256Hex,
  /** Tokens and cost of the call that produced the response. */
  usage: UsageSchema,
  /** For a `verdict: true` stage: the PASS or FAIL the response states. */
  verdict: z.enum(['pass', 'fail']).optional(),
  /** For `when_ai` transitions: the target stage the model chose. */
  choice: z.string().min(1).optional(),
  /** The model asks people a question instead of answering; the response's text is what it wrote around it. */
  ask_human: AskHumanSchema.optional(),
  /** For a stage whose output is a pull request: its number. */
  pull_number: z.number().int().min(1).optional(),
  /** For a stage whose output is a pull request: its head commit (40 or 64 hex digits). */
  head_sha: z
    .string()
    .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a commit sha: 40 (or 64) lowercase hex digits')
    .optional(),
  /** For a stage with `output: file:<path>`: where the response was committed. */
  file: z
    .strictObject({
      path: z.string().min(1),
      branch: z.string().min(1),
      commit: z
        .string()
        .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a commit sha: 40 (or 64) lowercase hex digits'),
    })
    .optional(),
  part: OutputPartSchema.optional(),
});

/** The `approver` step: an AI approver's decision on the stage's prompt or response. */
export const ApproverOutputSchema = z.strictObject({
  kind: z.literal('approver'),
  ...dispatch,
  /** `ask_human`: the approver asks people instead of deciding (its question is in `ask_human`). */
  decision: z.enum(['approved', 'rejected', 'ask_human']),
  /** Why, in the approver's words; the retry prompt carries it after a rejection. May be empty. */
  feedback: z.string(),
  /** With the decision `ask_human`, and only then: the question. */
  ask_human: AskHumanSchema.optional(),
  /** Tokens and cost of the approver's call. */
  usage: UsageSchema,
});

/** Any step that could not be done: the run fails with `error` (and a link to the Actions run). */
export const FailureOutputSchema = z.strictObject({
  kind: z.literal('failure'),
  ...dispatch,
  /** What went wrong, in one or a few sentences (no secrets). */
  error: z.string().min(1),
  /** The Actions run that failed. */
  url: z.string().min(1).optional(),
});

/** The JSON inside an output comment's `<!-- flowgate:output {...} -->` marker. */
export const ActionOutputSchema = z.discriminatedUnion('kind', [
  PromptOutputSchema,
  ResponseOutputSchema,
  ApproverOutputSchema,
  FailureOutputSchema,
]);

export type ActionOutput = z.output<typeof ActionOutputSchema>;
export type ActionOutputKind = ActionOutput['kind'];
export type OutputPart = z.output<typeof OutputPartSchema>;

/**
 * The checks that span fields, kept out of the structural schema: a part's index is at most its count, and a
 * pull request is reported by its number and its head sha together. Returns the first problem, or undefined.
 */
export function checkActionOutput(output: ActionOutput): string | undefined {
  if ((output.kind === 'prompt' || output.kind === 'response') && output.part !== undefined) {
    const { index, count } = output.part;
    if (index > count) return `part.index (${index}) is greater than part.count (${count})`;
  }
  if (output.kind === 'response' && (output.pull_number === undefined) !== (output.head_sha === undefined)) {
    return output.pull_number === undefined
      ? 'head_sha is given without pull_number: a pull request is reported by both'
      : 'pull_number is given without head_sha: a pull request is reported by both';
  }
  if (output.kind === 'approver' && (output.decision === 'ask_human') !== (output.ask_human !== undefined)) {
    return output.ask_human === undefined
      ? 'the decision ask_human comes without ask_human.question'
      : `ask_human is given with the decision ${output.decision}: a question goes with the decision ask_human only`;
  }
  if (output.kind === 'response' && output.ask_human !== undefined && output.pull_number !== undefined) {
    return 'ask_human is given with a pull request: only a text response can ask a question';
  }
  return undefined;
}
