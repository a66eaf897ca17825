import { z } from 'zod';
import { StageIdSchema } from './names.ts';

const TransitionObjectSchema = z.strictObject({
  to: StageIdSchema.meta({ description: 'The stage to move to.' }),
  when: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'A CEL condition over verdict, attempt, retries, outputs, labels and subject.' }),
  when_ai: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "A condition in words; the stage's provider picks among such transitions." }),
});

/** A transition. The shorthand `- done` means `{ to: done }` (a fallback with no condition). */
export const TransitionSchema = z
  .union([StageIdSchema, TransitionObjectSchema])
  .transform((value) => (typeof value === 'string' ? { to: value } : value))
  .meta({
    description: 'A way out of a stage. Shorthand: the target stage id alone (an unconditional fallback).',
  });

export type Transition = z.output<typeof TransitionSchema>;
