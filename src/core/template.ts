import { Liquid } from 'liquidjs';

/**
 * The variables a stage's `instructions` template can read. Text written by users (bodies, comments, outputs)
 * is fenced as data when it is rendered.
 */
export const TEMPLATE_VARIABLES = {
  subject: 'The issue or pull request: title, body, number, url, author, labels, type, draft, base, head.',
  workflow: 'The workflow: name, description.',
  run: 'The run: id, attempt, started_at.',
  stage: 'The current stage: id, name, attempt.',
  outputs: 'Earlier stage outputs by stage id, e.g. {{ outputs.plan }}.',
  feedback: 'The feedback of a /retry or of an approver that rejected the last attempt; empty otherwise.',
  ask_human: "The gate's ask_human guidance.",
  pr: 'For pull requests: diff_summary, files (changed paths), additions, deletions.',
  comments: 'Comments on the subject made before the run started: author, body.',
} as const;

/** One engine for parsing and rendering; strict about filters, with no access to the file system. */
export const liquid = new Liquid({ strictFilters: true, strictVariables: false, ownPropertyOnly: true });

export interface TemplateProblem {
  message: string;
  /** 1-based line and column inside the template, when known. */
  line?: number;
  col?: number;
  severity: 'error' | 'warning';
}

/** Syntax errors, and variables the context does not offer. */
export function checkTemplate(source: string): TemplateProblem[] {
  let parsed: ReturnType<Liquid['parse']>;
  try {
    parsed = liquid.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const pos = (error as { token?: { getPosition?: () => [number, number] } }).token?.getPosition?.();
    const text = message.replace(/, line:\d+, col:\d+$/, '');
    return [{ message: `template error: ${text}`, line: pos?.[0], col: pos?.[1], severity: 'error' }];
  }
  const problems: TemplateProblem[] = [];
  const known = Object.keys(TEMPLATE_VARIABLES);
  const seen = new Set<string>();
  for (const segments of liquid.globalVariableSegmentsSync(parsed)) {
    const root = String(segments[0]);
    if (known.includes(root) || seen.has(root)) continue;
    seen.add(root);
    problems.push({
      message: `the template reads "${root}", which the prompt context does not have (it has ${known.join(', ')})`,
      severity: 'warning',
    });
  }
  return problems;
}
