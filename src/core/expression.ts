import { Environment } from '@marcbachmann/cel-js';

/**
 * The variables a transition's `when` condition can read. Conditions are CEL (Common Expression Language):
 * sandboxed, side-effect free and always terminating.
 */
export const CONDITION_VARIABLES = {
  verdict: { type: 'string', description: 'The stage verdict: "pass", "fail", or "" when the stage has none.' },
  attempt: { type: 'int', description: 'Which attempt of this stage produced the output, from 1.' },
  retries: { type: 'int', description: 'How many times this stage has been retried in this run.' },
  outputs: { type: 'map', description: 'Earlier stage outputs by stage id (text).' },
  labels: { type: 'list<string>', description: "The subject's labels." },
  subject: {
    type: 'map',
    description: 'The issue or pull request: title, body, number, author, type ("issue" or "pull_request"), draft.',
  },
} as const;

const environment = Object.entries(CONDITION_VARIABLES).reduce(
  (env, [name, { type, description }]) => env.registerVariable(name, type, { description }),
  new Environment({ unlistedVariablesAreDyn: false }),
);

/** Undefined when `source` is a valid condition giving true or false; otherwise why it is not. */
export function checkCondition(source: string): string | undefined {
  let result: ReturnType<Environment['check']>;
  try {
    result = environment.check(source);
  } catch (error) {
    return firstLine(error);
  }
  if (!result.valid) return firstLine(result.error);
  if (result.type !== 'bool' && result.type !== 'dyn') {
    return `a condition must give true or false, but this one gives ${result.type}`;
  }
  return undefined;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).trim();
}
