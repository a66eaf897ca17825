import { z } from 'zod';

/** A stage id: letters, digits, `-` and `_`; it appears in labels, commands and the status comment. */
export const StageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, {
    error: 'must be 1-40 letters, digits, "-" or "_", starting with a letter or digit',
  })
  .meta({ description: 'A stage id: 1-40 letters, digits, "-" or "_".' });

/** A provider name as declared under `providers:`. */
export const ProviderNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, {
    error: 'must be 1-40 letters, digits, "-" or "_", starting with a letter',
  })
  .meta({ description: 'The name of a provider declared under `providers:`.' });

/** A GitHub label name (GitHub refuses names longer than 50 characters). */
export const LabelNameSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(50, { error: 'must be at most 50 characters (GitHub refuses longer label names)' })
  .meta({ description: 'A GitHub label name, at most 50 characters.' });

/** A string or a list of strings; a single string is read as a list of one. */
export function oneOrMany<T extends z.ZodType<string>>(item: T) {
  return z
    .union([item, z.array(item)])
    .transform((value): string[] => (Array.isArray(value) ? value : [value]));
}

/** A duration: a number of seconds, or a string such as `30s`, `5m`, `2h`, `1d`. */
export const DurationSchema = z
  .union([
    z.number().int().nonnegative(),
    z.string().regex(/^\d+\s*[smhd]$/, { error: 'must be a duration such as 30s, 5m, 2h or 1d' }),
  ])
  .transform((value) => (typeof value === 'number' ? value : parseDuration(value)))
  .meta({ description: 'A duration in seconds, or a string such as `30s`, `5m`, `2h`, `1d`.' });

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

function parseDuration(text: string): number {
  const unit = text.trim().slice(-1) as keyof typeof UNIT_SECONDS;
  return Number.parseInt(text, 10) * UNIT_SECONDS[unit];
}
