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
}

/** The model's answer to a `ModelRequest`. */
export interface ModelAnswer {
  text: string;
  /** Everything the call spent, failed tries included. */
  usage: ModelUsage;
  /** The model that answered, as the API names it (often a dated version of the configured one). */
  model: string;
}

/** Nothing spent. */
export const NO_USAGE: ModelUsage = Object.freeze({ tokens_in: 0, tokens_out: 0, cost_usd: 0 });
