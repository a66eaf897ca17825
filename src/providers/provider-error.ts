import { redactSecrets } from './redact-secrets.ts';
import { type ModelUsage, NO_USAGE } from './types.ts';

export interface ProviderErrorParams {
  /** The provider's name in the workflow. */
  provider: string;
  message: string;
  /** The HTTP status of the last answer, if there was one. */
  status?: number;
  /** True when trying again later may succeed (rate limits, server errors, timeouts, network errors). */
  retryable?: boolean;
  /** What the failed tries spent, as the API reported it. */
  usage?: ModelUsage;
  /** Values of secret-looking variables here are removed from the message. */
  env: Readonly<Record<string, string | undefined>>;
}

/** A model call that failed, explained for people; its message never holds a secret. */
export class ProviderError extends Error {
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly usage: ModelUsage;

  constructor(params: ProviderErrorParams) {
    super(redactSecrets(params.message, params.env));
    this.name = 'ProviderError';
    this.provider = params.provider;
    this.status = params.status;
    this.retryable = params.retryable ?? false;
    this.usage = params.usage ?? { ...NO_USAGE };
  }
}
