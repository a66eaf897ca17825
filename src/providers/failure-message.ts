import type { Failure } from './attempt-call.ts';
import type { Connection } from './resolve-connection.ts';
import type { ModelProvider } from './types.ts';

export interface FailureMessageParams {
  name: string;
  provider: ModelProvider;
  connection: Connection;
  failure: Failure;
  /** How many tries were made. */
  tries: number;
  /** Set when the API asked to wait longer than flowgate waits. */
  tooLongMs?: number;
}

const API_NAMES: Record<ModelProvider['use'], string> = {
  anthropic: 'Anthropic Messages API',
  openai: 'OpenAI Responses API',
  google: 'Gemini API',
  'openai-compatible': 'OpenAI-compatible chat completions API',
};

/**
 * A failed model call explained for the people who run the workflow: which provider, what happened (with the HTTP
 * status and the API's own words), and what to check. Secrets are removed later, by ProviderError.
 */
export function failureMessage(params: FailureMessageParams): string {
  const { name, provider, failure } = params;
  const who = `provider "${name}" (${provider.use}, model ${provider.model})`;
  return `${who}: ${explain(params)}${failure.retryable && params.tries > 1 ? ` (${params.tries} tries)` : ''}`;
}

function explain({ provider, connection, failure, tooLongMs }: FailureMessageParams): string {
  const url = shownUrl(connection.baseUrl);
  const http = `HTTP ${failure.status}${failure.detail === '' ? '' : `: ${short(failure.detail)}`}`;
  switch (failure.kind) {
    case 'timeout':
      return `no answer within ${provider.timeout_seconds} s. Raise timeout_seconds, or try again later.`;
    case 'network':
      return `could not reach ${url} (${short(failure.detail)}). Check the base URL and the runner's network.`;
    case 'malformed':
      return (
        `the answer is not a response of the ${API_NAMES[provider.use]} (HTTP ${failure.status}, ` +
        `${failure.detail === '' ? 'empty body' : `body starts "${failure.detail}"`}). ` +
        `Check that the base URL ${url} points at the API itself.`
      );
    case 'empty':
      return emptyAnswer(failure.detail);
    case 'other':
      return `the call failed: ${short(failure.detail)}`;
    case 'http':
      break;
  }
  const status = failure.status ?? 0;
  if (status === 401 || status === 403)
    return `the API refused the key (${http}). ${keyAdvice(provider, connection)}`;
  if (status === 404)
    return `not found (${http}). Check the model name "${provider.model}" and the base URL ${url}.`;
  if (status === 429) {
    if (tooLongMs !== undefined) {
      return `rate limited (${http}); the API asks to wait ${Math.ceil(tooLongMs / 1000)} s, longer than flowgate waits. Try again later.`;
    }
    return `rate limited (${http}). Try again later, or raise the account's rate limit.`;
  }
  if (failure.retryable) return `the API failed (${http}). Try again later.`;
  return `the API refused the request (${http}). Check the provider's settings (model, temperature, max_output_tokens).`;
}

function keyAdvice(provider: ModelProvider, connection: Connection): string {
  if (connection.keyName !== undefined) {
    return `Check the ${connection.keyName} secret: it must hold a valid key for this API.`;
  }
  if (provider.use === 'openai-compatible') {
    return 'The server wants a key: set api_key_env to the name of the variable that holds it.';
  }
  return 'Check the API key.';
}

function emptyAnswer(finishReason: string): string {
  if (finishReason === 'length') {
    return 'the model stopped before writing any text: it reached its output token limit. Raise max_output_tokens.';
  }
  if (finishReason === 'content-filter') return "the provider's content filter withheld the answer.";
  return `the model answered with no text (finish reason: ${finishReason}).`;
}

/** The base URL without credentials or query, fit to show. */
function shownUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
