import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callModel, type ModelRequest, ProviderError } from '../../src/providers/index.ts';
import { ModelServer } from '../support/model-server.ts';
import { KINDS, type ProviderKind, providerFor } from './provider-kinds.ts';

let server: ModelServer;
let waits: number[];

beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  waits = [];
});

function request(kind: ProviderKind, more: Partial<ModelRequest> = {}): ModelRequest {
  return {
    name: 'writer',
    provider: providerFor(kind, server),
    system: 'You write implementation plans.',
    prompt: 'Plan a --dry-run flag for `widgets sync`.',
    env: kind.env(server),
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...more,
  };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe.each(KINDS)('callModel with a $kind provider', (kind) => {
  describe('when the API answers', () => {
    it('returns the text, the model that answered, and the usage priced per million tokens', async () => {
      server.enqueue({ text: '1. Add the flag.\n2. Test it.', usage: { input: 1200, output: 300 } });
      const answer = await callModel(request(kind));
      expect(answer).toEqual({
        text: '1. Add the flag.\n2. Test it.',
        model: kind.provider.model,
        usage: { tokens_in: 1200, tokens_out: 300, cost_usd: kind.cost1200in300out },
      });
    });

    it('sends the system text, the prompt, the settings and the key in the API’s own format', async () => {
      server.enqueue({ text: 'ok' });
      const provider = { ...providerFor(kind, server), temperature: 0.2, max_output_tokens: 2048 };
      await callModel(request(kind, { provider }));
      const [sent] = server.requests;
      expect(sent?.api).toBe(kind.kind);
      expect(kind.sent(sent?.body, sent?.headers ?? {}, sent?.path ?? '')).toEqual({
        model: kind.provider.model,
        system: 'You write implementation plans.',
        prompt: 'Plan a --dry-run flag for `widgets sync`.',
        // gpt-5-mini is a reasoning model: the API takes no temperature, and the SDK leaves it out (with a warning).
        temperature: kind.kind === 'openai' ? undefined : 0.2,
        maxTokens: 2048,
        key: kind.key,
      });
    });

    it("caps the answer on the wire at the request's budget, below the provider's own cap", async () => {
      server.enqueue({ text: 'ok' });
      const provider = { ...providerFor(kind, server), max_output_tokens: 20_000 };
      await callModel(request(kind, { provider, maxOutputTokens: 1234 }));
      const [sent] = server.requests;
      expect(kind.sent(sent?.body, sent?.headers ?? {}, sent?.path ?? '').maxTokens).toBe(1234);
    });

    it('caps the answer at 8,192 tokens when neither the request nor the provider sets a cap', async () => {
      server.enqueue({ text: 'ok' });
      await callModel(request(kind));
      const [sent] = server.requests;
      expect(kind.sent(sent?.body, sent?.headers ?? {}, sent?.path ?? '').maxTokens).toBe(8192);
    });

    it('sends no system text when the request has none', async () => {
      server.enqueue({ text: 'ok' });
      await callModel(request(kind, { system: undefined }));
      const [sent] = server.requests;
      expect(kind.sent(sent?.body, sent?.headers ?? {}, sent?.path ?? '').system).toBeUndefined();
    });
  });

  describe('when the API is rate limited', () => {
    it('waits as long as retry-after says, then succeeds', async () => {
      server.enqueue(
        { status: 429, headers: { 'retry-after': '3' } },
        { text: 'done', usage: { input: 5, output: 2 } },
      );
      const answer = await callModel(request(kind));
      expect(answer.text).toBe('done');
      expect(waits).toEqual([3000]);
      expect(server.requests).toHaveLength(2);
    });

    it('gives up at once when retry-after asks for longer than flowgate waits', async () => {
      server.enqueue({ status: 429, headers: { 'retry-after': '3600' } });
      const error = await failure(callModel(request(kind)));
      expect(error.message).toBe(
        `provider "writer" (${kind.kind}, model ${kind.provider.model}): rate limited (HTTP 429: Rate limit exceeded.); the API asks to wait 3600 s, longer than flowgate waits. Try again later.`,
      );
      expect(error.status).toBe(429);
      expect(error.retryable).toBe(true);
      expect(waits).toEqual([]);
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('when the API fails with 5xx', () => {
    it('tries again with growing backoff and returns the answer of the third try', async () => {
      server.enqueue(
        { status: 500 },
        { status: 503 },
        { text: 'third time', usage: { input: 7, output: 3 } },
      );
      const answer = await callModel(request(kind));
      expect(answer.text).toBe('third time');
      expect(answer.usage.tokens_in).toBe(7);
      expect(server.requests).toHaveLength(3);
      expect(waits).toHaveLength(2);
      expect(waits[0]).toBeGreaterThanOrEqual(2000);
      expect(waits[0]).toBeLessThanOrEqual(2500);
      expect(waits[1]).toBeGreaterThanOrEqual(4000);
      expect(waits[1]).toBeLessThanOrEqual(5000);
    });

    it('stops after maxAttempts tries and says how many it made', async () => {
      server.enqueue({ status: 502, raw: '<html><h1>502 Bad Gateway</h1></html>' }, { status: 529 });
      const error = await failure(callModel(request(kind, { maxAttempts: 2 })));
      expect(error.message).toMatch(/: the API failed \(HTTP 529: .+\)\. Try again later\. \(2 tries\)$/);
      expect(error).toMatchObject({ provider: 'writer', status: 529, retryable: true });
      expect(server.requests).toHaveLength(2);
    });
  });

  describe('when the API never answers', () => {
    it('abandons each try after timeout_seconds and fails after the tries', async () => {
      server.enqueue({ hang: true }, { hang: true });
      const started = Date.now();
      const error = await failure(callModel(request(kind, { maxAttempts: 2 })));
      const elapsed = Date.now() - started;
      expect(error.message).toBe(
        `provider "writer" (${kind.kind}, model ${kind.provider.model}): no answer within 1 s. Raise timeout_seconds, or try again later. (2 tries)`,
      );
      expect(error).toMatchObject({ status: undefined, retryable: true });
      expect(server.requests).toHaveLength(2);
      expect(waits).toHaveLength(1);
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(6000);
    });
  });

  describe('when the API refuses the key', () => {
    it('names the secret to check, keeps the key out of the message, and does not try again', async () => {
      server.enqueue({ status: 401, error: `Incorrect API key provided: ${kind.key}.` });
      const error = await failure(callModel(request(kind)));
      expect(error.message).toBe(
        `provider "writer" (${kind.kind}, model ${kind.provider.model}): the API refused the key (HTTP 401: Incorrect API key provided: ***.). Check the ${kind.keyName} secret: it must hold a valid key for this API.`,
      );
      expect(error.message).not.toContain(kind.key);
      expect(error).toMatchObject({ status: 401, retryable: false });
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('when the answer is not the API’s shape', () => {
    it('explains that the base URL does not point at the API, without crashing or retrying', async () => {
      server.enqueue({ raw: '<html><body><h1>Welcome to nginx!</h1></body></html>' });
      const error = await failure(callModel(request(kind)));
      expect(error.message).toContain('the answer is not a response of the ' /* the API's name follows */);
      expect(error.message).toContain(
        '(HTTP 200, body starts "<html><body><h1>Welcome to nginx!</h1></body></html>")',
      );
      expect(error.message).toContain(`Check that the base URL ${server.url}`);
      expect(error).toMatchObject({ status: 200, retryable: false });
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('without its API key', () => {
    it('names the secret to set and calls nothing', async () => {
      const env = { ...kind.env(server), [kind.keyName]: undefined };
      const error = await failure(callModel(request(kind, { env })));
      expect(error.message).toMatch(
        new RegExp(`^provider "writer" \\(${kind.kind}\\) has no API key: set the ${kind.keyName} secret`),
      );
      expect(error).toMatchObject({ provider: 'writer', status: undefined, retryable: false });
      expect(server.requests).toHaveLength(0);
    });

    it('treats an empty variable, as Actions passes an unset secret, as missing', async () => {
      const env = { ...kind.env(server), [kind.keyName]: '' };
      const error = await failure(callModel(request(kind, { env })));
      expect(error.message).toContain(`set the ${kind.keyName} secret`);
      expect(server.requests).toHaveLength(0);
    });
  });
});

// Anthropic always reports usage (an answer without it is not a Messages API response); the others may leave it out.
describe.each(KINDS.filter((kind) => kind.kind !== 'anthropic'))(
  'callModel with a $kind provider',
  (kind) => {
    it('counts zero tokens when the API reports no usage', async () => {
      server.enqueue({ text: 'ok', usage: null });
      const answer = await callModel(request(kind));
      expect(answer.usage).toEqual({ tokens_in: 0, tokens_out: 0, cost_usd: 0 });
    });
  },
);
