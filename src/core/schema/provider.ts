import { z } from 'zod';

/** Prices in US dollars per million tokens; overrides the built-in price table for this model. */
export const PriceSchema = z
  .strictObject({
    input_per_mtok: z.number().nonnegative().meta({ description: 'US dollars per million input tokens.' }),
    output_per_mtok: z.number().nonnegative().meta({ description: 'US dollars per million output tokens.' }),
  })
  .meta({ description: 'Price per million tokens, overriding the built-in price table.' });

const modelFields = {
  model: z.string().min(1).meta({ description: 'The model name, as the provider spells it.' }),
  temperature: z
    .number()
    .min(0)
    .max(2)
    .optional()
    .meta({ description: 'Sampling temperature (provider default).' }),
  max_output_tokens: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: 'Upper bound on tokens generated per call (provider default).' }),
  timeout_seconds: z
    .number()
    .int()
    .positive()
    .default(300)
    .meta({ description: 'How long one call may take before it is abandoned and retried.' }),
  price: PriceSchema.optional(),
};

const AnthropicSchema = z.strictObject({
  use: z.literal('anthropic'),
  ...modelFields,
  base_url: z
    .url()
    .optional()
    .meta({ description: 'API base URL (default: ANTHROPIC_BASE_URL or the public API).' }),
});

const OpenAISchema = z.strictObject({
  use: z.literal('openai'),
  ...modelFields,
  base_url: z
    .url()
    .optional()
    .meta({ description: 'API base URL (default: OPENAI_BASE_URL or the public API).' }),
});

const OpenAICompatibleSchema = z.strictObject({
  use: z.literal('openai-compatible'),
  ...modelFields,
  base_url: z
    .url()
    .meta({ description: 'Base URL of the OpenAI-compatible server, e.g. http://localhost:11434/v1.' }),
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must be an environment variable name such as LOCAL_API_KEY' })
    .optional()
    .meta({ description: 'Name of the environment variable holding the API key, if the server needs one.' }),
});

const GoogleSchema = z.strictObject({
  use: z.literal('google'),
  ...modelFields,
});

const CommandSchema = z.strictObject({
  use: z.literal('command'),
  run: z
    .string()
    .min(1)
    .meta({ description: 'The agent command line; the prompt arrives on standard input.' }),
  max_iterations: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(5)
    .meta({ description: 'How many times the agent may be run until it reports done.' }),
  timeout_minutes: z
    .number()
    .int()
    .positive()
    .default(30)
    .meta({ description: 'How long one agent iteration may run.' }),
  pass_env: z
    .array(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error: 'must be an environment variable name such as ANTHROPIC_API_KEY',
      }),
    )
    .max(20)
    .optional()
    .meta({
      description:
        'Environment variables of the job (API keys, say) passed to the agent by name; every other variable that is not in the safe base set is withheld. Never passed to code from a fork.',
    }),
});

export const PROVIDER_KINDS = ['anthropic', 'openai', 'openai-compatible', 'google', 'command'] as const;

const ProviderObjectSchema = z.discriminatedUnion('use', [
  AnthropicSchema,
  OpenAISchema,
  OpenAICompatibleSchema,
  GoogleSchema,
  CommandSchema,
]);

/**
 * A named provider. The shorthand `anthropic/claude-sonnet-4-5` means `{ use: anthropic, model: claude-sonnet-4-5 }`.
 */
export const ProviderSchema = z
  .union([
    z.string().regex(/^(anthropic|openai|google)\/.+$/, {
      error: 'a provider shorthand reads "anthropic/<model>", "openai/<model>" or "google/<model>"',
    }),
    ProviderObjectSchema,
  ])
  .transform((value) => {
    if (typeof value !== 'string') return value;
    const slash = value.indexOf('/');
    return ProviderObjectSchema.parse({ use: value.slice(0, slash), model: value.slice(slash + 1) });
  })
  .meta({
    description:
      'An AI provider (anthropic, openai, openai-compatible, google) or a CLI agent (command). Shorthand: "anthropic/<model>".',
  });

export type Provider = z.output<typeof ProviderSchema>;
export type CommandProvider = z.output<typeof CommandSchema>;
