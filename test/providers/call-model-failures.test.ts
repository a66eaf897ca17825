import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callModel, type ModelRequest, ProviderError } from '../../src/providers/index.ts';
import { ModelServer } from '../support/model-server.ts';

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

const KEY = 'sk-ant-api03-test-key-0123456789';

function anthropic(more: Partial<ModelRequest> = {}): ModelRequest {
  return {
    name: 'writer',
    provider: { use: 'anthropic', model: 'claude-sonnet-4-5', timeout_seconds: 1 },
    prompt: 'Plan it.',
    env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseUrl('anthropic') },
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

describe('callModel', () => {
  describe('when the API refuses the request with a 4xx other than 429', () => {
    it('quotes the API and does not try again, even with a retry-after header', async () => {
      server.enqueue({
        status: 400,
        error: 'max_tokens: 999999 > 64000, which is the maximum allowed',
        headers: { 'retry-after': '1' },
      });
      const error = await failure(callModel(anthropic()));
      expect(error.message).toBe(
        'provider "writer" (anthropic, model claude-sonnet-4-5): the API refused the request (HTTP 400: max_tokens: 999999 > 64000, which is the maximum allowed). Check the provider\'s settings (model, temperature, max_output_tokens).',
      );
      expect(error).toMatchObject({ status: 400, retryable: false });
      expect(server.requests).toHaveLength(1);
      expect(waits).toEqual([]);
    });

    it('points at the model name and the base URL on a 404', async () => {
      server.enqueue({ status: 404, error: 'model: claude-sonet-4-5' });
      const error = await failure(callModel(anthropic()));
      expect(error.message).toBe(
        `provider "writer" (anthropic, model claude-sonnet-4-5): not found (HTTP 404: model: claude-sonet-4-5). Check the model name "claude-sonnet-4-5" and the base URL ${server.url}/v1.`,
      );
    });
  });

  describe('when the server cannot be reached', () => {
    it('tries again, then says which URL it could not reach', async () => {
      const closed = await ModelServer.start();
      const url = closed.baseUrl('anthropic');
      await closed.close();
      const error = await failure(
        callModel(anthropic({ env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: url } })),
      );
      expect(error.message).toMatch(
        /^provider "writer" \(anthropic, model claude-sonnet-4-5\): could not reach http:\/\/127\.0\.0\.1:\d+\/v1 \(.*ECONNREFUSED.*\)\. Check the base URL and the runner's network\. \(3 tries\)$/,
      );
      expect(error).toMatchObject({ status: undefined, retryable: true });
      expect(waits).toHaveLength(2);
    });
  });

  describe('when the model writes no text', () => {
    it('fails with what to change and carries the tokens the API charged', async () => {
      server.enqueue({ text: '', finish: 'length', usage: { input: 1000, output: 4096 } });
      const error = await failure(callModel(anthropic()));
      expect(error.message).toBe(
        'provider "writer" (anthropic, model claude-sonnet-4-5): the model stopped before writing any text: it reached its output token limit. Raise max_output_tokens.',
      );
      // 1000 × $3 + 4096 × $15, per million tokens.
      expect(error.usage).toEqual({ tokens_in: 1000, tokens_out: 4096, cost_usd: 0.06444 });
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('when a JSON answer has another API’s shape', () => {
    it('says so for a Gemini provider too, whose SDK reads such a body as an empty answer', async () => {
      server.enqueue({ raw: '{"object":"list","data":[]}', contentType: 'application/json' });
      const error = await failure(
        callModel({
          ...anthropic(),
          provider: { use: 'google', model: 'gemini-2.5-pro', timeout_seconds: 1 },
          env: {
            GEMINI_API_KEY: 'AIzaSy-test-key-0123456789',
            GOOGLE_GENERATIVE_AI_BASE_URL: server.baseUrl('google'),
          },
        }),
      );
      expect(error.message).toBe(
        `provider "writer" (google, model gemini-2.5-pro): the answer is not a response of the Gemini API (HTTP 200, body starts "{"object":"list","data":[]}"). Check that the base URL ${server.url}/v1beta points at the API itself.`,
      );
    });
  });

  describe('with retry-after-ms', () => {
    it('waits exactly that many milliseconds', async () => {
      server.enqueue(
        { status: 529, headers: { 'retry-after-ms': '1250', 'retry-after': '2' } },
        { text: 'ok' },
      );
      await callModel(anthropic());
      expect(waits).toEqual([1250]);
    });
  });

  describe('usage across tries', () => {
    it('charges only the tries the API reported tokens for', async () => {
      server.enqueue({ status: 503 }, { text: 'ok', usage: { input: 1_000_000, output: 0 } });
      const answer = await callModel(anthropic());
      expect(answer.usage).toEqual({ tokens_in: 1_000_000, tokens_out: 0, cost_usd: 3 });
    });
  });

  describe('error messages', () => {
    it('hide every secret of the environment the API echoes back', async () => {
      const token = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
      server.enqueue({ status: 400, error: `bad header x-token: ${token} (key ${KEY})` });
      const error = await failure(callModel(anthropic({ env: { ...anthropic().env, GITHUB_TOKEN: token } })));
      expect(error.message).toContain('(HTTP 400: bad header x-token: *** (key ***))');
      expect(error.message).not.toContain(token);
    });

    it('hide the key of an OpenAI-compatible server even when its variable’s name does not look secret', async () => {
      const key = 'ollama-local-0123456789';
      server.enqueue({ status: 401, error: `key ${key} refused` });
      const error = await failure(
        callModel({
          ...anthropic(),
          provider: {
            use: 'openai-compatible',
            model: 'qwen3',
            base_url: server.baseUrl('openai-compatible'),
            api_key_env: 'OLLAMA_AUTH',
            timeout_seconds: 1,
          },
          env: { OLLAMA_AUTH: key },
        }),
      );
      expect(error.message).toBe(
        'provider "writer" (openai-compatible, model qwen3): the API refused the key (HTTP 401: key *** refused). Check the OLLAMA_AUTH secret: it must hold a valid key for this API.',
      );
    });
  });

  describe('an OpenAI-compatible server without api_key_env', () => {
    it('is called without an Authorization header', async () => {
      server.enqueue({ text: 'ok' });
      await callModel({
        ...anthropic(),
        provider: {
          use: 'openai-compatible',
          model: 'qwen3',
          base_url: server.baseUrl('openai-compatible'),
          timeout_seconds: 1,
        },
        env: { OPENAI_API_KEY: 'sk-proj-should-not-be-sent-123' },
      });
      expect(server.requests[0]?.headers.authorization).toBeUndefined();
    });

    it('explains how to give it a key when it asks for one', async () => {
      server.enqueue({ status: 401 });
      const error = await failure(
        callModel({
          ...anthropic(),
          provider: {
            use: 'openai-compatible',
            model: 'qwen3',
            base_url: server.baseUrl('openai-compatible'),
            timeout_seconds: 1,
          },
          env: {},
        }),
      );
      expect(error.message).toBe(
        'provider "writer" (openai-compatible, model qwen3): the API refused the key (HTTP 401: Invalid API key.). The server wants a key: set api_key_env to the name of the variable that holds it.',
      );
    });
  });

  describe('with a bad maxAttempts', () => {
    it.each([0, -1, 1.5, Number.NaN])('refuses %s', async (maxAttempts) => {
      await expect(callModel(anthropic({ maxAttempts }))).rejects.toThrow(
        `maxAttempts must be a whole number of at least 1, not ${maxAttempts}`,
      );
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('with a command provider', () => {
    it('explains that an agent is not a model API', async () => {
      const provider = { use: 'command', run: 'codex exec -', max_iterations: 5, timeout_minutes: 30 };
      // biome-ignore lint/suspicious/noExplicitAny: a caller without types passing the wrong kind of provider.
      const error = await failure(callModel(anthropic({ provider: provider as any })));
      expect(error.message).toBe(
        'provider "writer" ("command") is not a model API: only anthropic, openai, openai-compatible and google providers can answer a prompt.',
      );
    });
  });
});
