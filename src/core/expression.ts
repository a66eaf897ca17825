import { Environment } from '@marcbachmann/cel-js';
import { suggest } from './suggest.ts';

/**
 * The variables a transition's `when` condition can read. Conditions are CEL (Common Expression Language):
 * sandboxed, side-effect free and always terminating.
 */
export const CONDITION_VARIABLES = {
  verdict: {
    type: 'string',
    description: 'The stage verdict: "pass", "fail", or "" when the stage has none.',
  },
  attempt: { type: 'int', description: 'Which attempt of this stage produced the output, from 1.' },
  retries: { type: 'int', description: 'How many times this stage has been retried in this run.' },
  outputs: {
    type: 'map',
    description:
      'What earlier stages produced, by stage id: verdict ("pass", "fail" or ""), attempt (int) and approved (bool), e.g. outputs.review.verdict.',
  },
  labels: { type: 'list<string>', description: "The subject's labels." },
  subject: {
    type: 'map',
    description:
      'The issue or pull request: title, body, number, author, type ("issue" or "pull_request"), draft.',
  },
} as const;

const environment = Object.entries(CONDITION_VARIABLES).reduce(
  (env, [name, { type, description }]) => env.registerVariable(name, type, { description }),
  new Environment({ unlistedVariablesAreDyn: false }),
);

/** Undefined when `source` is a valid condition giving true or false; otherwise why it is not. */
export function checkCondition(source: string): string | undefined {
  return conditionProblem(source)?.message;
}

/** Why `source` is not a valid condition, and where in it (a 0-based offset) when known. */
export function conditionProblem(source: string): { message: string; offset?: number } | undefined {
  let result: ReturnType<Environment['check']>;
  try {
    result = environment.check(source);
  } catch (error) {
    return explain(error);
  }
  if (!result.valid) return explain(result.error);
  if (result.type !== 'bool' && result.type !== 'dyn') {
    return { message: `a condition must give true or false, but this one gives ${result.type}` };
  }
  return undefined;
}

const VARIABLE_NAMES = Object.keys(CONDITION_VARIABLES);

/** cel-js's wording, made plain for the common mistakes, with the offset of the node it is about. */
function explain(error: unknown): { message: string; offset?: number } {
  const message = firstLine(error);
  const pos = (error as { node?: { pos?: unknown } } | undefined)?.node?.pos;
  const offset = typeof pos === 'number' ? pos : undefined;
  const unknown = /^Unknown variable: (\S+)$/.exec(message)?.[1];
  if (unknown !== undefined) {
    const near = suggest(unknown, VARIABLE_NAMES);
    const hint =
      near === undefined
        ? `a condition reads ${VARIABLE_NAMES.join(', ')}; text goes in quotes, e.g. "${unknown}"`
        : `did you mean "${near}"?`;
    return { message: `unknown variable "${unknown}" (${hint})`, offset };
  }
  if (message === 'Unexpected token: EOF') return { message: 'the condition ends too early', offset };
  if (message === 'Unexpected character: =') return { message: '"=" is not a comparison; use "=="', offset };
  return { message, offset };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).trim();
}

/** The values a condition sees; ints are bigints, as CEL's int is 64-bit. */
export interface ConditionContext {
  verdict: string;
  attempt: bigint;
  retries: bigint;
  outputs: Record<string, { verdict: string; attempt: bigint; approved: boolean }>;
  labels: string[];
  subject: { title: string; number: bigint; author: string; type: string; labels: string[] };
}

/** Evaluates a condition that `checkCondition` accepted; an error at run time (a missing key, say) is returned. */
export function evaluateCondition(
  source: string,
  context: ConditionContext,
): { value: boolean } | { error: string } {
  try {
    const value = environment.evaluate(source, context as unknown as Record<string, unknown>);
    if (typeof value !== 'boolean') return { error: `the condition gave ${typeof value}, not true or false` };
    return { value };
  } catch (error) {
    return { error: firstLine(error) };
  }
}
