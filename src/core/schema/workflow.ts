import { z } from 'zod';
import { ApproversSchema, GateSchema } from './gate.ts';
import { LabelNameSchema, ProviderNameSchema } from './names.ts';
import { ProviderSchema } from './provider.ts';
import { StageSchema } from './stage.ts';
import { TriggerSchema } from './trigger.ts';

const DefaultsSchema = z
  .strictObject({
    provider: ProviderNameSchema.optional().meta({ description: 'The provider of stages that name none.' }),
    gate: GateSchema.optional().meta({
      description:
        'The gate of stages that declare none. When absent: `manual` (a person approves) for `ai` and `command` stages of an interactive workflow, `skip` for every other stage.',
    }),
    max_retries: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(3)
      .meta({ description: 'How often an AI approver may reject a stage before the run fails.' }),
    approvers: ApproversSchema.prefault({}).meta({
      description: 'Who may approve gates that do not say (default: anyone with write permission).',
    }),
  })
  .meta({ description: 'Defaults for every stage.' });

const LimitsSchema = z
  .strictObject({
    max_tokens: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'Tokens one run may use in all.' }),
    max_cost_usd: z
      .number()
      .positive()
      .optional()
      .meta({ description: 'US dollars one run may spend in all.' }),
    timeout_minutes: z
      .number()
      .int()
      .positive()
      .default(120)
      .meta({ description: 'How long one stage attempt may take.' }),
  })
  .meta({ description: 'Budgets: a stage that would exceed them is not started and the run pauses.' });

const LabelsSchema = z
  .strictObject({
    prefix: z
      .string()
      .max(40)
      .default('flowgate: ')
      .meta({ description: 'Prefix of the per-stage labels (the stage id follows).' }),
    awaiting_approval: LabelNameSchema.default('flowgate: awaiting approval').meta({
      description: 'The label a subject carries while a gate waits for a person.',
    }),
    color: z
      .string()
      .regex(/^[0-9a-fA-F]{6}$/, { error: 'must be six hex digits without "#", e.g. 5319e7' })
      .default('5319e7')
      .meta({ description: 'Colour of the labels flowgate creates.' }),
  })
  .meta({ description: 'The labels that show where a run is.' });

/** The structural schema of one workflow file (`.github/flowgate/*.yml`), after `extends:` is merged. */
export const WorkflowSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'The JSON Schema of this file, for editors.' }),
    version: z.literal(1).meta({ description: 'The workflow file format version; 1.' }),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, {
        error: 'must be 1-40 letters, digits, "-" or "_", starting with a letter or digit',
      })
      .meta({ description: 'The workflow name, unique in the repository; names its check run.' }),
    description: z.string().optional().meta({ description: 'What the workflow is for, in one line.' }),
    extends: z
      .string()
      .optional()
      .meta({ description: 'A workflow to build on: a relative path, or owner/repo/path@ref.' }),
    on: TriggerSchema.prefault({}),
    mode: z
      .enum(['interactive', 'automated'])
      .default('interactive')
      .meta({ description: 'automated forbids manual and review approvers: nothing waits for a person.' }),
    providers: z
      .record(ProviderNameSchema, ProviderSchema)
      .default({})
      .meta({ description: 'Named AI providers and CLI agents that stages use.' }),
    defaults: DefaultsSchema.prefault({}),
    limits: LimitsSchema.prefault({}),
    labels: LabelsSchema.prefault({}),
    mentions: z.boolean().default(false).meta({
      description:
        "Let models mention people and teams (@login, @org/team) in the output comments flowgate posts. Off by default: an @ in a model's answer is defused with a zero-width space, so injected text cannot notify anyone.",
    }),
    stages: z.array(StageSchema).min(1, { error: 'must list at least one stage' }),
  })
  .meta({
    title: 'flowgate workflow',
    description: 'A multi-stage AI workflow with approval gates, run on GitHub issues and pull requests.',
  });

export type ParsedWorkflow = z.output<typeof WorkflowSchema>;
