import { z } from 'zod';
import { LabelNameSchema, oneOrMany } from './names.ts';

const UserList = oneOrMany(
  z.string().regex(/^@?[A-Za-z0-9-]+$/, { error: 'must be a GitHub user name' }),
).transform((names) => names.map((name) => name.replace(/^@/, '')));

const ReviewersSchema = z
  .union([
    z.array(z.string()),
    z.strictObject({
      users: z.array(z.string()).default([]),
      teams: z.array(z.string()).default([]),
    }),
  ])
  .transform((value) =>
    Array.isArray(value)
      ? {
          users: value.filter((name) => !name.includes('/')).map((name) => name.replace(/^@/, '')),
          teams: value.filter((name) => name.includes('/')).map((name) => name.replace(/^@/, '')),
        }
      : value,
  );

const DispatchSchema = z.strictObject({
  workflow: z.string().min(1).meta({ description: 'The Actions workflow file name, e.g. deploy.yml.' }),
  ref: z
    .string()
    .optional()
    .meta({ description: 'The branch or tag to run on (default: the default branch).' }),
  inputs: z
    .record(z.string(), z.string())
    .default({})
    .meta({ description: 'Inputs passed to the dispatched workflow; values may use the template context.' }),
});

const WebhookSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .meta({ description: 'The URL that receives a JSON POST describing the run.' }),
  secret_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must be an environment variable name' })
    .optional()
    .meta({ description: 'Environment variable holding the HMAC key that signs the request body.' }),
});

/**
 * One action of a `system` stage. Each list item names exactly one action (checked by lint, so that the JSON
 * Schema stays a faithful copy of this one).
 */
export const SystemActionSchema = z
  .strictObject({
    add_labels: oneOrMany(LabelNameSchema).optional().meta({ description: 'Labels to add to the subject.' }),
    remove_labels: oneOrMany(LabelNameSchema)
      .optional()
      .meta({ description: 'Labels to remove from the subject.' }),
    comment: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'A comment to post; may use the template context.' }),
    close: z
      .union([z.literal(true), z.enum(['completed', 'not_planned'])])
      .optional()
      .meta({ description: 'Close the subject (true, or a reason: completed | not_planned).' }),
    reopen: z.literal(true).optional().meta({ description: 'Reopen the subject.' }),
    request_reviewers: ReviewersSchema.optional().meta({
      description: 'Request reviews on the pull request from users and org/teams.',
    }),
    assign: UserList.optional().meta({ description: 'Assign users to the subject.' }),
    dispatch: DispatchSchema.optional().meta({
      description: 'Start an Actions workflow (workflow_dispatch).',
    }),
    webhook: WebhookSchema.optional().meta({ description: 'POST a JSON description of the run to a URL.' }),
  })
  .meta({ description: 'One action; name exactly one key per list item.' });

export const SYSTEM_ACTION_KEYS = Object.keys(SystemActionSchema.shape);

export type SystemAction = z.output<typeof SystemActionSchema>;
