import type { Provider } from '../core/schema/provider.ts';

/** A provider that is a model API (every kind but `command`, which runs a CLI agent instead). */
export type ModelProvider = Exclude<Provider, { use: 'command' }>;

/** Tokens the API reported and what they cost, in US dollars. */
export interface ModelUsage {
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
}

/** One call of a model: what to ask it, with which provider settings and which environment. */
export interface ModelRequest {
  /** The provider's name in the workflow, for messages. */
  name: string;
  provider: ModelProvider;
  system?: string;
  prompt: string;
  /** API keys and base URLs are read from here, never from `process.env` directly. */
  env: Readonly<Record<string, string | undefined>>;
  /** Tries per call on 429 / 5xx / timeout / network error (default 3). */
  maxAttempts?: number;
  /** Backoff waits (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * What the call is for: the stage, its attempt, and whether it answers the stage or judges it as its AI
   * approver. Providers send none of it; logs and the offline model of `flowgate simulate` read it.
   */
  purpose?: { stage: string; attempt: number; as: 'response' | 'approver'; of?: 'prompt' | 'response' };
  /**
   * The most tokens the answer may take, sent with every request (Anthropic `max_tokens`, OpenAI
   * `max_output_tokens`, Gemini `maxOutputTokens`, chat completions `max_tokens`). The caller fits it to the run's
   * budget; without it, the provider's `max_output_tokens`, else DEFAULT_MAX_OUTPUT_TOKENS.
   */
  maxOutputTokens?: number;
}

/** The answer length a call is capped at (and a budget estimate assumes) for a provider without `max_output_tokens`. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;

/** The output cap of a request: its own, else its provider's, else the default. Always a whole number from 1. */
export function outputCapOf(request: Pick<ModelRequest, 'maxOutputTokens' | 'provider'>): number {
  const cap = request.maxOutputTokens ?? request.provider.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  return Math.max(1, Math.floor(cap));
}

/** The model's answer to a `ModelRequest`. */
export interface ModelAnswer {
  text: string;
  /** Everything the call spent, failed tries included. */
  usage: ModelUsage;
  /** The model that answered, as the API names it (often a dated version of the configured one). */
  model: string;
  /** With a schema: the structured answer, or undefined when it did not fit the schema. */
  object?: unknown;
}

/** Nothing spent. */
export const NO_USAGE: ModelUsage = Object.freeze({ tokens_in: 0, tokens_out: 0, cost_usd: 0 });
