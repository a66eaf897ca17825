import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The model APIs the server speaks, named as flowgate's provider kinds. */
export type ModelApi = 'anthropic' | 'openai' | 'google' | 'openai-compatible';

/** One scripted answer. Without `status`, `raw` or `hang`, it is a successful completion of `text`. */
export interface ScriptedAnswer {
  /** The model's text (default `OK`). */
  text?: string;
  /**
   * Token counts to report (default 10 in, 5 out); `null` leaves the usage out of the answer. The Anthropic API
   * always reports usage, so an Anthropic answer without it is not a Messages API response to the SDK.
   */
  usage?: { input: number; output: number } | null;
  /** Why the model stopped: `stop` (default) or `length` (it ran out of output tokens). */
  finish?: 'stop' | 'length';
  /** An HTTP error status: the body is that API's error object carrying `error` as its message. */
  status?: number;
  /** The message inside an error body (default: the status's usual wording). */
  error?: string;
  /** Extra response headers, such as `retry-after`. */
  headers?: Record<string, string>;
  /** Sends this text as the body instead of a JSON answer (with `contentType`, default text/html). */
  raw?: string;
  contentType?: string;
  /** Waits this long before answering. */
  delayMs?: number;
  /** Never answers: the connection stays open until the client gives up or the server closes. */
  hang?: boolean;
}

/** A request as the server received it. */
export interface RecordedRequest {
  /** Which API the path belongs to, or undefined for a path no API serves (answered 404). */
  api: ModelApi | undefined;
  method: string;
  /** The path with its query string, e.g. `/v1beta/models/gemini-2.5-pro:generateContent`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body, parsed; the raw text if it was not JSON. */
  body: unknown;
}

const ROUTES: { api: ModelApi; pattern: RegExp }[] = [
  { api: 'anthropic', pattern: /\/messages$/ },
  { api: 'openai', pattern: /\/responses$/ },
  { api: 'google', pattern: /\/models\/[^/]+:generateContent$/ },
  { api: 'openai-compatible', pattern: /\/chat\/completions$/ },
];

const BASE_PATHS: Record<ModelApi, string> = {
  anthropic: '/v1',
  openai: '/v1',
  google: '/v1beta',
  'openai-compatible': '/v1',
};

/**
 * A local stand-in for the model APIs flowgate calls, on 127.0.0.1. It speaks each API's real wire format as the
 * AI SDK calls it:
 *
 * | API                 | Request the SDK sends                          | Base URL to configure |
 * |---------------------|------------------------------------------------|-----------------------|
 * | `anthropic`         | `POST {base}/messages` (Messages API)          | `server.baseUrl('anthropic')` = `<url>/v1` |
 * | `openai`            | `POST {base}/responses` (Responses API)        | `server.baseUrl('openai')` = `<url>/v1` |
 * | `google`            | `POST {base}/models/{model}:generateContent`   | `server.baseUrl('google')` = `<url>/v1beta` |
 * | `openai-compatible` | `POST {base}/chat/completions`                 | `server.baseUrl('openai-compatible')` = `<url>/v1` |
 *
 * The API is recognised by the path's ending, so any prefix works. Each request takes the next answer from one
 * queue shared by all APIs (`enqueue`); when the queue is empty the `fallback` answers, and without a fallback the
 * server answers 500 "no scripted answer left", so an unexpected call fails loudly. Every request is recorded
 * (`requests`) with its path, headers and parsed JSON body, so a test can check the prompt and the key sent.
 *
 * Point flowgate at it with the provider's `base_url`, or, for a whole process such as the Action, with the env
 * variables `ANTHROPIC_BASE_URL`, `OPENAI_BASE_URL` and `GOOGLE_GENERATIVE_AI_BASE_URL` set to `baseUrl(api)`.
 *
 * ```ts
 * const server = await ModelServer.start();
 * server.enqueue({ status: 429, headers: { 'retry-after': '2' } }, { text: 'Hello', usage: { input: 12, output: 3 } });
 * // ... point a provider at server.baseUrl('anthropic') and call it ...
 * expect(server.requests[1]?.body).toMatchObject({ model: 'claude-sonnet-4-5' });
 * await server.close();
 * ```
 */
export class ModelServer {
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  /** The answer once the queue is empty; undefined makes the server answer 500. */
  fallback: ScriptedAnswer | undefined;
  /**
   * Sees each request as it arrives (after it is recorded, before it is answered): a test hook to act at the n-th
   * call. The answer waits for the promise it returns.
   */
  onRequest: ((request: RecordedRequest, index: number) => void | Promise<void>) | undefined;
  readonly #queue: ScriptedAnswer[] = [];
  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`model server failed: ${String(error)}`);
    });
  });
  #url = '';

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(): Promise<ModelServer> {
    const server = new ModelServer();
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.#server.address() as AddressInfo;
    server.#url = `http://127.0.0.1:${port}`;
    return server;
  }

  /** The server's origin, `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.#url;
  }

  /** The base URL an API's client is configured with (the SDK appends the API's own path to it). */
  baseUrl(api: ModelApi): string {
    return `${this.#url}${BASE_PATHS[api]}`;
  }

  /** Adds answers to the end of the queue; each request takes the first one. */
  enqueue(...answers: ScriptedAnswer[]): this {
    this.#queue.push(...answers);
    return this;
  }

  /** How many queued answers no request has taken yet. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Forgets the queue, the fallback, the hook and the recorded requests. */
  reset(): void {
    this.#queue.length = 0;
    this.requests.length = 0;
    this.fallback = undefined;
    this.onRequest = undefined;
  }

  /** Stops the server, cutting any connection that is still open (hanging answers included). */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = req.url ?? '/';
    const api = ROUTES.find((route) => route.pattern.test(path.split('?')[0] ?? ''))?.api;
    const recorded: RecordedRequest = {
      api,
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: parseJson(text),
    };
    this.requests.push(recorded);
    await this.onRequest?.(recorded, this.requests.length - 1);
    if (api === undefined || req.method !== 'POST') {
      send(res, 404, { error: { message: `model server: no API at ${req.method} ${path}` } });
      return;
    }
    const answer = this.#queue.shift() ??
      this.fallback ?? { status: 500, error: 'model server: no scripted answer left' };
    if (answer.hang === true) return;
    if (answer.delayMs !== undefined) {
      const delay = answer.delayMs;
      const waited = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), delay);
        res.once('close', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (!waited) return;
    }
    const headers = { 'x-request-id': `req_${randomUUID()}`, ...answer.headers };
    if (answer.raw !== undefined) {
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/html', ...headers });
      res.end(answer.raw);
      return;
    }
    const status = answer.status ?? 200;
    const body = parseJson(text);
    const model = modelOf(api, path, body);
    if (status >= 400) {
      send(res, status, errorBody(api, status, answer.error ?? STATUS_TEXT[status] ?? 'error'), headers);
      return;
    }
    send(res, status, successBody(api, model, answer), headers);
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request.',
  401: 'Invalid API key.',
  403: 'Permission denied.',
  404: 'The model was not found.',
  429: 'Rate limit exceeded.',
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'Service unavailable.',
  529: 'Overloaded.',
};

function successBody(api: ModelApi, model: string, answer: ScriptedAnswer): unknown {
  const text = answer.text ?? 'OK';
  const usage = answer.usage === undefined ? { input: 10, output: 5 } : answer.usage;
  const length = answer.finish === 'length';
  const id = randomUUID().replaceAll('-', '');
  const created = Math.floor(Date.now() / 1000);
  switch (api) {
    case 'anthropic':
      return {
        id: `msg_${id}`,
        type: 'message',
        role: 'assistant',
        model,
        content: text === '' ? [] : [{ type: 'text', text }],
        stop_reason: length ? 'max_tokens' : 'end_turn',
        stop_sequence: null,
        ...(usage === null
          ? {}
          : {
              usage: {
                input_tokens: usage.input,
                output_tokens: usage.output,
                cache_creation_input_tokens: 0,
                cache_read_input_tokens: 0,
              },
            }),
      };
    case 'openai':
      return {
        id: `resp_${id}`,
        object: 'response',
        created_at: created,
        status: length ? 'incomplete' : 'completed',
        error: null,
        incomplete_details: length ? { reason: 'max_output_tokens' } : null,
        model,
        output:
          text === ''
            ? []
            : [
                {
                  type: 'message',
                  id: `msg_${id}`,
                  status: length ? 'incomplete' : 'completed',
                  role: 'assistant',
                  content: [{ type: 'output_text', text, annotations: [] }],
                },
              ],
        ...(usage === null
          ? {}
          : {
              usage: {
                input_tokens: usage.input,
                input_tokens_details: { cached_tokens: 0 },
                output_tokens: usage.output,
                output_tokens_details: { reasoning_tokens: 0 },
                total_tokens: usage.input + usage.output,
              },
            }),
      };
    case 'google':
      return {
        candidates: [
          {
            content: { parts: text === '' ? [] : [{ text }], role: 'model' },
            finishReason: length ? 'MAX_TOKENS' : 'STOP',
            index: 0,
          },
        ],
        ...(usage === null
          ? {}
          : {
              usageMetadata: {
                promptTokenCount: usage.input,
                candidatesTokenCount: usage.output,
                totalTokenCount: usage.input + usage.output,
              },
            }),
        modelVersion: model,
        responseId: id,
      };
    case 'openai-compatible':
      return {
        id: `chatcmpl-${id}`,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null },
            logprobs: null,
            finish_reason: length ? 'length' : 'stop',
          },
        ],
        ...(usage === null
          ? {}
          : {
              usage: {
                prompt_tokens: usage.input,
                completion_tokens: usage.output,
                total_tokens: usage.input + usage.output,
              },
            }),
      };
  }
}

/** The error object each API sends with a failing status. */
function errorBody(api: ModelApi, status: number, message: string): unknown {
  switch (api) {
    case 'anthropic':
      return { type: 'error', error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message } };
    case 'google':
      return { error: { code: status, message, status: GOOGLE_STATUSES[status] ?? 'UNKNOWN' } };
    case 'openai':
    case 'openai-compatible':
      return {
        error: {
          message,
          type: status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error',
          param: null,
          code: status === 401 ? 'invalid_api_key' : null,
        },
      };
  }
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const GOOGLE_STATUSES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

function modelOf(api: ModelApi, path: string, body: unknown): string {
  if (api === 'google') return /\/models\/([^/:]+):/.exec(path)?.[1] ?? 'unknown';
  const model = typeof body === 'object' && body !== null ? (body as { model?: unknown }).model : undefined;
  return typeof model === 'string' ? model : 'unknown';
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
