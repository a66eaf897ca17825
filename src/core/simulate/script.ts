import { z } from 'zod';
import { PERMISSIONS } from '../schema/gate.ts';
import { DurationSchema, StageIdSchema } from '../schema/names.ts';

const Login = z
  .string()
  .regex(/^[A-Za-z0-9-]+(\[bot\])?$/, { error: 'must be a GitHub user name' })
  .meta({ description: 'A GitHub user name.' });

const Text = z.string().meta({ description: 'Markdown text.' });

/** The issue or pull request the simulated run works on. */
export const ScriptSubjectSchema = z.strictObject({
  kind: z.enum(['issue', 'pull_request']).optional().meta({
    description:
      'issue or pull_request (default: pull_request when the workflow runs on pull requests only).',
  }),
  number: z.number().int().positive().default(1).meta({ description: 'The issue or pull request number.' }),
  author: Login.default('octocat').meta({
    description: 'Who opened it; authors cannot approve their own work.',
  }),
  title: z.string().default('A simulated issue').meta({ description: 'Its title.' }),
  body: z.string().default('').meta({ description: 'Its body, as `{{ subject.body }}` reads it.' }),
  labels: z.array(z.string()).optional().meta({
    description: "Its labels when the run starts (default: the workflow's first trigger label, if any).",
  }),
  comments: z
    .array(z.strictObject({ author: Login, body: Text }))
    .default([])
    .meta({ description: 'Comments made before the run started, as `{{ comments }}` reads them.' }),
  pr: z
    .strictObject({
      files: z.array(z.string()).default(['src/feature.ts', 'test/feature.test.ts']),
      additions: z.number().int().min(0).default(120),
      deletions: z.number().int().min(0).default(8),
      diff_summary: z.string().optional(),
    })
    .prefault({})
    .meta({ description: 'What `{{ pr }}` reads: the changed files and line counts.' }),
});

/** Who a simulated person is on the repository: what the shell would look up on GitHub. */
export const PersonSchema = z.strictObject({
  permission: z
    .enum([...PERMISSIONS, 'none'])
    .default('write')
    .meta({ description: 'Repository permission: none, read, triage, write, maintain or admin.' }),
  teams: z.array(z.string()).default([]).meta({ description: 'Teams ("org/slug") the person belongs to.' }),
  codeowner: z
    .boolean()
    .default(false)
    .meta({ description: 'Whether CODEOWNERS names the person for the changes.' }),
  bot: z
    .boolean()
    .default(false)
    .meta({ description: 'A bot account: bots never issue commands or approve.' }),
});

const Step = z.string().min(1);

/** One step of a script. Each list item names exactly one kind of step (checked by `checkScript`). */
export const ScriptStepSchema = z.strictObject({
  comment: z
    .strictObject({ by: Login, body: Step })
    .optional()
    .meta({ description: 'A new comment; each slash command in it is a command.received event.' }),
  review: z
    .strictObject({
      by: Login,
      state: z.enum(['approved', 'changes_requested', 'commented']).default('approved'),
      body: z.string().default(''),
    })
    .optional()
    .meta({ description: 'A pull request review of the current head.' }),
  push: z
    .strictObject({ by: Login })
    .optional()
    .meta({ description: 'New commits on the pull request (head.moved with a new sha).' }),
  content: z.strictObject({ by: Login, body: Step }).optional().meta({
    description: 'A person hands in the content of a manual stage: a comment `/submit` and the body.',
  }),
  answer: z
    .strictObject({
      stage: StageIdSchema,
      text: z.string().optional().meta({ description: 'The response text (default: a generated one).' }),
      verdict: z
        .enum(['pass', 'fail'])
        .optional()
        .meta({ description: 'The verdict of a verdict: true stage.' }),
      choice: StageIdSchema.optional().meta({ description: 'The when_ai transition the model picks.' }),
      ask_human: z.string().min(1).optional().meta({
        description:
          "The model asks people this question instead of answering (an `Ask a human:` line ends its answer); the stage's gate must set ask_human.",
      }),
      fail: z.string().min(1).optional().meta({ description: 'The stage fails with this error instead.' }),
      silent: z
        .boolean()
        .default(false)
        .meta({ description: 'No answer arrives at all: the dispatch times out after a long enough wait.' }),
    })
    .optional()
    .meta({ description: 'Overrides the offline model for the next response of the stage.' }),
  approver: z
    .strictObject({
      stage: StageIdSchema,
      decision: z.enum(['approved', 'rejected', 'ask_human']),
      feedback: z.string().default(''),
      question: z.string().min(1).optional().meta({
        description:
          'With `decision: ask_human`: what the approver asks people (the gate must set ask_human).',
      }),
    })
    .optional()
    .meta({ description: 'Overrides the next AI approver decision on the stage.' }),
  wait: DurationSchema.optional().meta({
    description: 'Let time pass (30s, 5m, 2h, 1d), then fire the timer.',
  }),
  edit: z
    .strictObject({
      stage: StageIdSchema,
      step: z.enum(['prompt', 'response']).default('response'),
      by: Login.default('maintainer'),
      /** Rewrites the verdict line of a review's output to this verdict, instead of adding a line. */
      verdict: z.enum(['pass', 'fail']).optional(),
    })
    .optional()
    .meta({
      description:
        "Someone edits the stage's prompt or output comment (content.edited); with `verdict`, the output's verdict line.",
    }),
  label: z
    .strictObject({ by: Login.default('maintainer'), name: z.string().min(1) })
    .optional()
    .meta({
      description:
        'Someone adds a label to the subject: a run waiting for a transition condition over labels looks again.',
    }),
  unlabel: z
    .strictObject({ by: Login.default('maintainer'), name: z.string().min(1) })
    .optional()
    .meta({ description: 'Someone removes a label from the subject.' }),
  workflow: z
    .strictObject({
      text: z.string().min(1).meta({ description: 'The new text of the workflow file.' }),
      by: Login.default('maintainer'),
    })
    .optional()
    .meta({
      description:
        'Someone commits a new version of the workflow file to the default branch; the run takes it at its next event (definition.changed).',
    }),
});

/** A `flowgate simulate --script` file: the subject, the people, and what they do, in order. */
export const ScriptSchema = z.strictObject({
  subject: ScriptSubjectSchema.prefault({}),
  /** Who starts the run (default: the subject's author). */
  started_by: Login.optional().meta({ description: "Who starts the run (default: the subject's author)." }),
  people: z
    .record(Login, PersonSchema)
    .default({})
    .meta({ description: 'The people the steps name, by login, with what GitHub would say about them.' }),
  steps: z.array(ScriptStepSchema).default([]).meta({ description: 'What happens, in order.' }),
  finish: z.enum(['stop', 'default']).default('stop').meta({
    description:
      'When the steps run out and the run waits for people: stop there, or let the default script finish it.',
  }),
});

export type Script = z.output<typeof ScriptSchema>;
export type ScriptSubject = z.output<typeof ScriptSubjectSchema>;
export type Person = z.output<typeof PersonSchema>;
export type RawScriptStep = z.output<typeof ScriptStepSchema>;

export const STEP_KINDS = [
  'comment',
  'review',
  'push',
  'content',
  'answer',
  'approver',
  'wait',
  'edit',
  'label',
  'unlabel',
  'workflow',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** A step reduced to its one kind: `{ kind: 'comment', comment: { by, body } }`. */
export type ScriptStep = {
  [K in StepKind]: { kind: K } & { [P in K]-?: NonNullable<RawScriptStep[P]> };
}[StepKind];

export type StepOf<K extends StepKind> = Extract<ScriptStep, { kind: K }>;

/** The step's one kind, or a message naming what is wrong (no kind, or several). */
export function stepKind(step: RawScriptStep): ScriptStep | { error: string } {
  const kinds = STEP_KINDS.filter((k) => step[k] !== undefined);
  const [kind] = kinds;
  if (kinds.length === 1 && kind !== undefined) return { kind, [kind]: step[kind] } as ScriptStep;
  if (kinds.length === 0) return { error: `a step names one of ${STEP_KINDS.join(', ')}` };
  return {
    error: `a step names exactly one kind, not ${kinds.join(' and ')}; split it into ${kinds.length} steps`,
  };
}

/** The default script: no steps; the default people approve every gate and supply every content. */
export function defaultScript(): Script {
  return ScriptSchema.parse({ finish: 'default' });
}
