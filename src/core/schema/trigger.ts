import { z } from 'zod';
import { LabelNameSchema, oneOrMany } from './names.ts';

const SelectorSchema = z.strictObject({
  type: z
    .enum(['issues', 'pull_requests', 'all'])
    .default('issues')
    .meta({ description: 'Which open items a sweep selects.' }),
  labels: oneOrMany(LabelNameSchema)
    .default([])
    .meta({ description: 'Items must carry every one of these labels.' }),
  exclude_labels: oneOrMany(LabelNameSchema)
    .default([])
    .meta({ description: 'Items carrying any of these labels are skipped.' }),
  min_age_days: z
    .number()
    .int()
    .min(0)
    .default(0)
    .meta({ description: 'Only items at least this many days old.' }),
  limit: z
    .number()
    .int()
    .positive()
    .max(500)
    .default(500)
    .meta({ description: 'At most this many items per sweep (the oldest first); at most 500.' }),
});

const SweepBudgetSchema = z
  .strictObject({
    max_tokens: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'Tokens one sweep may use over all its items and stages.' }),
    max_cost_usd: z
      .number()
      .positive()
      .optional()
      .meta({ description: 'US dollars one sweep may spend over all its items and stages.' }),
  })
  .meta({
    description:
      'Limits of one sweep: a sweep whose estimate exceeds them does not start, and a sweep stops once its spending reaches them.',
  });

const ScheduleSchema = z.strictObject({
  cron: oneOrMany(
    z.string().regex(/^(\S+\s+){4}\S+$/, { error: 'must be a five-field cron expression, e.g. "0 6 * * 1"' }),
  ).meta({ description: 'When the sweep runs (five-field cron, UTC), as Actions `on.schedule` does.' }),
  select: SelectorSchema.prefault({}).meta({
    description: 'Which open issues or pull requests a sweep covers.',
  }),
  batch_size: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .meta({ description: 'How many items one batch processes.' }),
  strategy: z
    .enum(['stage-by-stage', 'item-by-item'])
    .default('stage-by-stage')
    .meta({ description: 'stage-by-stage finishes a stage for every item before the next stage starts.' }),
  on_failure: z.enum(['continue', 'stop']).default('continue').meta({
    description: 'Whether a failed item stops the sweep or is marked failed while the sweep goes on.',
  }),
  budget: SweepBudgetSchema.optional(),
  dashboard: z
    .strictObject({
      title: z.string().min(1).optional().meta({ description: 'Title of the dashboard issue.' }),
      retention_days: z
        .number()
        .int()
        .min(1)
        .default(90)
        .meta({ description: 'Past sweeps older than this are dropped from the dashboard.' }),
    })
    .prefault({})
    .meta({ description: 'The dashboard issue that shows the sweep.' }),
});

/** What starts a run. */
export const TriggerSchema = z
  .strictObject({
    labels: oneOrMany(LabelNameSchema)
      .default([])
      .meta({ description: 'Adding one of these labels to an issue or pull request starts a run.' }),
    command: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'must be lowercase letters, digits, "-" or "_"' })
      .optional()
      .meta({ description: 'The name in `/flowgate start <name>` (default: the workflow name).' }),
    subject: z
      .enum(['issue', 'pull_request', 'any'])
      .default('any')
      .meta({ description: 'Which subjects a run may start on.' }),
    schedule: ScheduleSchema.optional().meta({
      description: 'Run the workflow on a schedule over many open items (a sweep).',
    }),
  })
  .meta({ description: 'What starts a run: labels, a slash command, a schedule.' });

export type Trigger = z.output<typeof TriggerSchema>;
