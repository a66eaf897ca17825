import { z } from 'zod';

export const PERMISSIONS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Who may pass a gate. A person qualifies through any listed route, and must hold `permission` in every case. */
export const ApproversObjectSchema = z.strictObject({
  users: z
    .array(z.string().regex(/^[A-Za-z0-9-]+(\[bot\])?$/, { error: 'must be a GitHub user name' }))
    .default([])
    .meta({ description: 'GitHub user names that may approve.' }),
  teams: z
    .array(z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/, { error: 'must read "org/team-slug"' }))
    .default([])
    .meta({ description: 'Teams ("org/team-slug") whose members may approve.' }),
  codeowners: z
    .boolean()
    .default(false)
    .meta({ description: "Whether CODEOWNERS of the pull request's changed files may approve." }),
  permission: z
    .enum(PERMISSIONS)
    .default('write')
    .meta({ description: 'The minimum repository permission an approver must hold.' }),
});

/**
 * Approvers; the shorthand is a list where `org/team` entries are teams and other entries are users.
 */
export const ApproversSchema = z
  .union([
    z.array(
      z.string().regex(/^@?[A-Za-z0-9-]+(\[bot\]|\/[A-Za-z0-9_.-]+)?$/, {
        error: 'must be a GitHub user name or "org/team-slug"',
      }),
    ),
    ApproversObjectSchema,
  ])
  .transform((value) => {
    if (!Array.isArray(value)) return value;
    return ApproversObjectSchema.parse({
      users: value.filter((name) => !name.includes('/')).map((name) => name.replace(/^@/, '')),
      teams: value.filter((name) => name.includes('/')).map((name) => name.replace(/^@/, '')),
    });
  })
  .meta({
    description:
      'Who may approve: users, teams, CODEOWNERS and a minimum permission. Shorthand: a list of users and org/teams.',
  });

export const APPROVER_PATTERN = /^(skip|manual|review|ai:[A-Za-z][A-Za-z0-9_-]{0,39})$/;

export const ApproverSchema = z
  .string()
  .regex(APPROVER_PATTERN, { error: 'must be skip, manual, review or ai:<provider>' })
  .meta({
    description:
      'skip (pass at once), manual (a slash command or PR review approval), review (a PR review approval), or ai:<provider> (a second model decides).',
    // The same set as the pattern, written so that editors offer the fixed values as completions.
    anyOf: [{ enum: ['skip', 'manual', 'review'] }, { pattern: '^ai:[A-Za-z][A-Za-z0-9_-]{0,39}$' }],
  });

const GateObjectSchema = z.strictObject({
  approver: ApproverSchema,
  approvers: ApproversSchema.optional().meta({
    description: 'Who may approve (default: `defaults.approvers`).',
  }),
  min_approvals: z
    .number()
    .int()
    .min(1)
    .default(1)
    .meta({ description: 'How many distinct eligible people must approve.' }),
  allow_author: z
    .boolean()
    .default(false)
    .meta({ description: "Whether the subject's author and the last pusher may approve their own work." }),
  max_retries: z.number().int().min(0).max(20).optional().meta({
    description:
      'How often an AI approver may reject before the run fails (default: `defaults.max_retries`).',
  }),
  ask_human: z.string().optional().meta({
    description:
      "Guidance on when the model should stop and ask a person instead of deciding. With it set, the stage's model (on `gate`) and an ai:<provider> approver may ask a question; the run then waits for `/answer <text>` from the gate's approvers.",
  }),
});

/** A gate. The shorthand `gate: manual` means `{ approver: manual }`. */
export const GateSchema = z
  .union([ApproverSchema, GateObjectSchema])
  .transform((value) => (typeof value === 'string' ? GateObjectSchema.parse({ approver: value }) : value))
  .meta({ description: 'An approval gate. Shorthand: the approver alone, e.g. `gate: manual`.' });

export type Approvers = z.output<typeof ApproversObjectSchema>;
export type Gate = z.output<typeof GateSchema>;
