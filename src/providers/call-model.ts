import { setTimeout as wait } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import type { z } from 'zod';
import { costOf, priceOf } from '../core/prices.ts';
import { attemptCall, type Failure, type Tokens } from './attempt-call.ts';
import { failureMessage } from './failure-message.ts';
import { ProviderError } from './provider-error.ts';
import { resolveConnection } from './resolve-connection.ts';
import { retryDelay } from './retry-delay.ts';
import type { ModelAnswer, ModelRequest, ModelUsage } from './types.ts';

/** Tries per call unless the request says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * Asks the request's model for an answer to `system` + `prompt`; with `schema`, as structured output (the API's
 * schema-constrained mode), read into `object` (undefined when the answer does not fit the schema).
 *
 * Each try is abandoned after the provider's `timeout_seconds`. A timeout, a network error, HTTP 408, 429 or 5xx
 * is tried again (with p-retry), up to `maxAttempts` tries in all, after the wait `retryDelay` gives (the API's
 * `retry-after`, else exponential backoff with jitter); any other failure, or an API asking to wait longer than
 * `MAX_RETRY_AFTER_MS`, ends the call at once. The usage counts every try the
 * API reported tokens for, priced with `priceOf(provider)`. Failures throw a ProviderError whose message names the
 * provider, the HTTP status and what to check, with secrets removed.
 */
export async function callModel(request: ModelRequest, schema?: z.ZodType): Promise<ModelAnswer> {
  const maxAttempts = request.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a whole number of at least 1, not ${maxAttempts}`);
  }
  const sleep = request.sleep ?? ((ms: number) => wait(ms));
  const connection = resolveConnection(request);
  const env = connection.apiKey === undefined ? request.env : { ...request.env, API_KEY: connection.apiKey };
  const spent: Tokens = { in: 0, out: 0 };
  let tries = 0;
  let tooLongMs: number | undefined;
  try {
    const result = await pRetry(
      async () => {
        tries++;
        const attempt = await attemptCall(request, connection, schema);
        spent.in += attempt.tokens.in;
        spent.out += attempt.tokens.out;
        if (attempt.ok) return attempt;
        const failed = new FailedTry(attempt.failure);
        throw attempt.failure.retryable ? failed : new AbortError(failed);
      },
      {
        retries: maxAttempts - 1,
        // No wait of p-retry's own: flowgate picks each wait (the API's retry-after, or its backoff) and waits it
        // out here, so that an API asking for too long a wait ends the call instead.
        minTimeout: 0,
        shouldRetry: async ({ error, attemptNumber }) => {
          if (!(error instanceof FailedTry)) return false;
          const delay = retryDelay(attemptNumber, error.failure.retryAfter, Date.now(), Math.random);
          if ('tooLongMs' in delay) {
            tooLongMs = delay.tooLongMs;
            return false;
          }
          await sleep(delay.ms);
          return true;
        },
      },
    );
    const answer = { text: result.text, usage: usageOf(request, spent), model: result.model };
    return schema === undefined ? answer : { ...answer, object: result.object };
  } catch (error) {
    if (!(error instanceof FailedTry)) throw error;
    const { failure } = error;
    throw new ProviderError({
      provider: request.name,
      message: failureMessage({
        name: request.name,
        provider: request.provider,
        connection,
        failure,
        tries,
        ...(tooLongMs === undefined ? {} : { tooLongMs }),
      }),
      status: failure.status,
      retryable: failure.retryable,
      usage: usageOf(request, spent),
      env,
    });
  }
}

/** A failed try, carried through p-retry to the message. */
class FailedTry extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.kind);
    this.failure = failure;
  }
}

function usageOf(request: ModelRequest, tokens: Tokens): ModelUsage {
  return {
    tokens_in: tokens.in,
    tokens_out: tokens.out,
    cost_usd: costOf(priceOf(request.provider), tokens.in, tokens.out),
  };
}
