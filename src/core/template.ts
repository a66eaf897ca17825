import { Liquid } from 'liquidjs';
import { suggest } from './suggest.ts';

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
  feedback:
    'The feedback of a /retry (or the reason of the rejection a bare /retry follows), of an AI approver that rejected the last attempt, or the note of an /approve --revise|--complete on the stage before; empty otherwise.',
  ask_human: "The gate's ask_human guidance.",
  pr: "The run's pull request (the one its code stages opened, or the subject when it is one): number, url, diff_summary (counts and patches), files (changed paths), additions, deletions.",
  comments: 'Comments on the subject made before the run started: author, body.',
} as const;

const FILE_TAGS = ['include', 'render', 'layout'];

/** A file system that has no files: templates can never read the runner's or the server's files. */
const noFiles = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file: string): Promise<string> => {
    throw new Error(`templates cannot read files (${file})`);
  },
  readFileSync: (file: string): string => {
    throw new Error(`templates cannot read files (${file})`);
  },
  resolve: (_root: string, file: string) => file,
};

/**
 * What one template may cost. The memory limit counts what Liquid allocates (strings it builds, ranges it loops
 * over) and is far above any real prompt (outputs of 300,000 characters included); a template that loops
 * forever or doubles a string in a loop stops with an error instead of taking the runner down.
 */
export const TEMPLATE_LIMITS = {
  /** Longest template text, in characters. */
  parseLimit: 1_000_000,
  /** Longest render, in milliseconds. */
  renderLimit: 10_000,
  /** Most memory Liquid may allocate in one render (its own count, about one unit per character). */
  memoryLimit: 50_000_000,
} as const;

/** One engine for parsing and rendering; strict about filters, with no access to the file system. */
export const liquid = new Liquid({
  ...TEMPLATE_LIMITS,
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  fs: noFiles,
  root: [],
  relativeReference: false,
});

export interface TemplateProblem {
  message: string;
  /** 1-based line and column inside the template, when known. */
  line?: number;
  col?: number;
  /** The same place as a 0-based offset into the template text. */
  offset?: number;
  severity: 'error' | 'warning';
}

/** Syntax errors, and variables the context does not offer. */
export function checkTemplate(source: string): TemplateProblem[] {
  let parsed: ReturnType<Liquid['parse']>;
  try {
    parsed = liquid.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const token = (error as { token?: { begin?: number; getPosition?: () => [number, number] } }).token;
    const pos = token?.getPosition?.();
    return [
      {
        message: `template error: ${plainTemplateError(message.replace(/, line:\d+, col:\d+$/, ''))}`,
        line: pos?.[0],
        col: pos?.[1],
        offset: token?.begin,
        severity: 'error',
      },
    ];
  }
  const problems: TemplateProblem[] = [];
  for (const match of source.matchAll(/\{%-?\s*(\w+)/g)) {
    if (!FILE_TAGS.includes(match[1] ?? '')) continue;
    const offset = match.index;
    const before = source.slice(0, offset).split('\n');
    problems.push({
      message: `template error: {% ${match[1]} %} is not available; templates cannot read files`,
      line: before.length,
      col: (before.at(-1)?.length ?? 0) + 1,
      offset,
      severity: 'error',
    });
  }
  const known = Object.keys(TEMPLATE_VARIABLES);
  for (const [root, uses] of Object.entries(liquid.analyzeSync(parsed, { partials: false }).globals)) {
    if (known.includes(root)) continue;
    const where = uses[0]?.location;
    const near = suggest(root, known);
    const hint = near === undefined ? `it has ${known.join(', ')}` : `did you mean "${near}"?`;
    problems.push({
      message: `the template reads "${root}", which the prompt context does not have (${hint})`,
      line: where?.row,
      col: where?.col,
      offset: where === undefined ? undefined : offsetOf(source, where.row, where.col),
      severity: 'warning',
    });
  }
  return problems.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
}

/** liquidjs's wording, made plain for the common mistakes. */
function plainTemplateError(message: string): string {
  if (/^output ".*" not closed$/s.test(message)) return '"{{" is not closed with "}}"';
  const tag = /^tag (\{%-?\s*(\w+).*%\}) not closed$/s.exec(message);
  if (tag) return `${tag[1]} is not closed with {% end${tag[2]} %}`;
  const unknownTag = /^tag "(.*)" not found$/.exec(message);
  if (unknownTag) return `unknown tag "${unknownTag[1]}"`;
  const filter = /^undefined filter: (.*)$/.exec(message);
  if (filter) return `unknown filter "${filter[1]}"`;
  return message;
}

function offsetOf(source: string, line: number, col: number): number {
  const lines = source.split('\n').slice(0, line - 1);
  return lines.reduce((sum, text) => sum + text.length + 1, 0) + col - 1;
}
