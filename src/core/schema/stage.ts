import { z } from 'zod';
import { checkOutputPath, fileOutputPath } from '../file-output.ts';
import { GateSchema } from './gate.ts';
import { DurationSchema, LabelNameSchema, oneOrMany, ProviderNameSchema, StageIdSchema } from './names.ts';
import { SystemActionSchema } from './system-action.ts';
import { TransitionSchema } from './transition.ts';

export const STAGE_TYPES = ['entry', 'work', 'terminal'] as const;
export const STAGE_MODES = ['ai', 'command', 'manual', 'system'] as const;

export const OUTPUT_PATTERN = /^(comment|pull_request|file:[^\s].*)$/;

const ArchiveSchema = z
  .union([
    z.number().int().min(0),
    z.strictObject({
      after_days: z
        .number()
        .int()
        .min(0)
        .meta({ description: 'Close the subject this many days after completion.' }),
      lock: z.boolean().default(false).meta({ description: 'Also lock the conversation.' }),
    }),
  ])
  .transform((value) => (typeof value === 'number' ? { after_days: value, lock: false } : value))
  .meta({
    description: 'Close (and optionally lock) the subject N days after the run ends here. Shorthand: N.',
  });

const EstimateSchema = z
  .strictObject({
    tokens: z.number().int().min(0).meta({ description: 'Expected tokens per item.' }),
    cost_usd: z.number().min(0).optional().meta({ description: 'Expected cost per item in US dollars.' }),
  })
  .meta({ description: 'Expected usage per item, used for budget estimates before any history exists.' });

export const StageSchema = z
  .strictObject({
    id: StageIdSchema,
    name: z.string().min(1).optional().meta({ description: 'A display name (default: the id).' }),
    type: z.enum(STAGE_TYPES).optional().meta({
      description:
        'entry (a run may start here), work, or terminal (the run ends here). Default: entry for the first stage, terminal for a last stage with no way out, work otherwise.',
    }),
    mode: z.enum(STAGE_MODES).optional().meta({
      description:
        'ai (a model answers a prompt), command (a CLI agent edits code), manual (a person supplies the content), system (actions only). Default: system for terminal stages and stages with `run`, ai otherwise.',
    }),
    provider: ProviderNameSchema.optional().meta({
      description:
        'The provider that does the work of an ai or command stage (default: `defaults.provider`).',
    }),
    instructions: z.string().optional().meta({
      description: 'The prompt, a Liquid template; untrusted text such as the issue body is fenced as data.',
    }),
    prompt_gate: GateSchema.optional().meta({
      description: 'A gate on the rendered prompt, before the model runs (default: skip).',
    }),
    gate: GateSchema.optional().meta({
      description: "A gate on the stage's output (default: `defaults.gate`).",
    }),
    verdict: z.boolean().default(false).meta({
      description: 'The response carries a PASS or FAIL verdict, available to conditions as `verdict`.',
    }),
    output: z
      .string()
      .regex(OUTPUT_PATTERN, { error: 'must be comment, pull_request or file:<path>' })
      .superRefine((value, ctx) => {
        const path = OUTPUT_PATTERN.test(value) ? fileOutputPath(value) : undefined;
        const problem = path === undefined ? undefined : checkOutputPath(path);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `file:<path>: ${problem}` });
      })
      .default('comment')
      .meta({
        description: 'Where the result goes: comment, pull_request, or file:<path> on the run branch.',
      }),
    labels: oneOrMany(LabelNameSchema).optional().meta({
      description: 'Labels the subject carries while the run is in this stage (default: prefix + id).',
    }),
    next: StageIdSchema.optional().meta({
      description: 'The stage that follows (default: the next stage in the file).',
    }),
    transitions: z.array(TransitionSchema).min(1).optional().meta({
      description: 'Conditional ways out, tried in order; one without a condition is the fallback.',
    }),
    delay: DurationSchema.optional().meta({ description: 'Wait this long before moving on.' }),
    timeout_minutes: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'How long the stage may take (default: `limits.timeout_minutes`).' }),
    run: z
      .array(SystemActionSchema)
      .min(1)
      .optional()
      .meta({ description: 'Actions of a system stage (or of a terminal stage, on arrival).' }),
    archive: ArchiveSchema.optional(),
    replaces: oneOrMany(StageIdSchema)
      .optional()
      .meta({ description: 'Stage ids this stage replaces: runs still in a removed stage move here.' }),
    estimate: EstimateSchema.optional(),
    batch_size: z.number().int().min(1).max(100).optional().meta({
      description:
        'How many items one batch of a scheduled sweep holds at this stage (default: `on.schedule.batch_size`). Only for ai and command stages of a workflow with `on.schedule`.',
    }),
  })
  .meta({ description: 'One stage of the workflow.' });

export type StageInput = z.input<typeof StageSchema>;
export type ParsedStage = z.output<typeof StageSchema>;
