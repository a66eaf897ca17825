import { APICallError, generateText, NoObjectGeneratedError, Output } from 'ai';
import { Agent } from 'undici';
import type { z } from 'zod';
import { languageModel } from './language-model.ts';
import type { Connection } from './resolve-connection.ts';
import { type ModelRequest, outputCapOf } from './types.ts';

/** Tokens one try reported (zero when the API reported none). */
export interface Tokens {
  in: number;
  out: number;
}

/** Why one try failed, in terms the retry loop and the messages need, free of SDK types. */
export interface Failure {
  kind: 'timeout' | 'network' | 'http' | 'malformed' | 'empty' | 'other';
  /** The HTTP status of the answer, when one arrived. */
  status?: number;
  /** Whether another try may succeed: timeouts, network errors, 408, 429 and 5xx. */
  retryable: boolean;
  /** The answer's `retry-after-ms` / `retry-after` headers, as sent. */
  retryAfter?: { ms?: string; seconds?: string };
  /** What the API or the SDK said: an error message, the start of an unreadable body, a finish reason. */
  detail: string;
}

export type Attempt =
  | {
      ok: true;
      text: string;
      model: string;
      tokens: Tokens;
      /** With a schema: the answer as the schema read it, or undefined when it did not fit the schema. */
      object?: unknown;
    }
  | { ok: false; failure: Failure; tokens: Tokens };

/**
 * Connections for model calls without fetch's own time limits. Node's fetch gives up after 300 s without response
 * headers or body data, which would cut any `timeout_seconds` above 300 short (a non-streamed answer sends its
 * headers only once the model has finished); here the provider's timeout is the only one.
 */
const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

/** The abort reason of a try that ran out of time; recognised by identity. */
const TIMED_OUT = new Error('flowgate: the model call timed out');

/**
 * One try of a model call through the AI SDK, with the SDK's own retries off and abandoned after the provider's
 * `timeout_seconds`. It never throws: every failure comes back classified.
 */
export async function attemptCall(
  request: ModelRequest,
  connection: Connection,
  schema?: z.ZodType,
): Promise<Attempt> {
  const { provider } = request;
  let answered: Response | undefined;
  let copy: Response | undefined;
  const watch: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, { ...init, dispatcher } as RequestInit);
    answered = response;
    copy = response.ok ? response.clone() : undefined;
    return response;
  };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMED_OUT), provider.timeout_seconds * 1000);
  try {
    const result = await generateText({
      model: languageModel(provider, connection, watch),
      ...(request.system === undefined || request.system === '' ? {} : { instructions: request.system }),
      prompt: request.prompt,
      ...(provider.temperature === undefined ? {} : { temperature: provider.temperature }),
      // Every request carries its output cap: without one, Anthropic's SDK asks for 64,000 tokens and OpenAI none.
      maxOutputTokens: outputCapOf(request),
      // With a schema, the answer is schema-constrained output (each API's structured output mode), not prose.
      ...(schema === undefined ? {} : { output: Output.object({ schema }) }),
      maxRetries: 0,
      abortSignal: controller.signal,
    });
    const tokens = { in: result.usage.inputTokens ?? 0, out: result.usage.outputTokens ?? 0 };
    if (result.text.trim() === '') {
      const { finishReason } = result;
      // No text, no tokens and no known reason: a JSON body of another API's shape that the SDK let through.
      const unknown = tokens.in + tokens.out === 0 && (finishReason === 'other' || finishReason === 'error');
      const detail = unknown ? bodyStart(await copy?.text().catch(() => '')) : finishReason;
      return {
        ok: false,
        tokens,
        failure: {
          kind: unknown ? 'malformed' : 'empty',
          retryable: false,
          detail,
          status: answered?.status,
        },
      };
    }
    const model = result.response.modelId || provider.model;
    if (schema === undefined) return { ok: true, text: result.text, model, tokens };
    return { ok: true, text: result.text, model, tokens, object: structuredOutput(() => result.output) };
  } catch (error) {
    if (schema !== undefined && NoObjectGeneratedError.isInstance(error)) {
      // An answer that is not the structured object: it arrived (and cost tokens), but it says nothing.
      const tokens = { in: error.usage?.inputTokens ?? 0, out: error.usage?.outputTokens ?? 0 };
      const model = error.response?.modelId || provider.model;
      return { ok: true, text: error.text ?? '', model, tokens, object: undefined };
    }
    const noTokens = { in: 0, out: 0 };
    if (controller.signal.aborted && controller.signal.reason === TIMED_OUT) {
      return { ok: false, tokens: noTokens, failure: { kind: 'timeout', retryable: true, detail: '' } };
    }
    return { ok: false, tokens: noTokens, failure: classify(error, answered) };
  } finally {
    clearTimeout(timer);
  }
}

/** The structured answer, or undefined when the model's answer did not parse or fit the schema. */
function structuredOutput(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function classify(error: unknown, answered: Response | undefined): Failure {
  const message = error instanceof Error ? error.message : String(error);
  const status = answered?.status ?? (APICallError.isInstance(error) ? error.statusCode : undefined);
  if (status === undefined) {
    if (APICallError.isInstance(error) && error.isRetryable) {
      return { kind: 'network', retryable: true, detail: causeOf(error) };
    }
    return { kind: 'other', retryable: false, detail: message };
  }
  if (status >= 200 && status < 300) {
    const body = APICallError.isInstance(error) ? error.responseBody : undefined;
    return { kind: 'malformed', status, retryable: false, detail: bodyStart(body) };
  }
  const headers = answered?.headers;
  const retryAfter = {
    ...optional('ms', headers?.get('retry-after-ms')),
    ...optional('seconds', headers?.get('retry-after')),
  };
  return {
    kind: 'http',
    status,
    retryable: status === 408 || status === 429 || status >= 500,
    ...(Object.keys(retryAfter).length === 0 ? {} : { retryAfter }),
    detail: message,
  };
}

/** The network-level reason of a failed connection, e.g. `ECONNREFUSED 127.0.0.1:9`. */
function causeOf(error: APICallError): string {
  let cause: unknown = error.cause;
  let text = error.message.replace(/^Cannot connect to API:\s*/, '');
  while (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string')
      text = cause.message.includes(code) ? cause.message : `${code} ${cause.message}`;
    cause = cause.cause;
  }
  return text;
}

function bodyStart(body: unknown): string {
  const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}

function optional<K extends string>(key: K, value: string | null | undefined): Partial<Record<K, string>> {
  return value === null || value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
