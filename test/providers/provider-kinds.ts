import type { IncomingHttpHeaders } from 'node:http';
import type { ModelProvider } from '../../src/providers/index.ts';
import type { ModelServer } from '../support/model-server.ts';

/** What a request carried, read back from an API's wire format. */
export interface Sent {
  model: string;
  system: string | undefined;
  prompt: string;
  temperature: unknown;
  maxTokens: unknown;
  key: string | undefined;
}

/** One provider kind as the tests drive it: its settings, its environment, and how to read what it sent. */
export interface ProviderKind {
  kind: ModelProvider['use'];
  provider: ModelProvider;
  /** The secret holding the key. */
  keyName: string;
  key: string;
  env: (server: ModelServer) => Record<string, string>;
  /** The cost of 1200 tokens in and 300 out, worked out by hand from the price per million tokens. */
  cost1200in300out: number;
  sent: (body: unknown, headers: IncomingHttpHeaders, path: string) => Sent;
}

// biome-ignore lint/suspicious/noExplicitAny: wire bodies are read loosely, field by field.
type Body = any;

const bearer = (headers: IncomingHttpHeaders) => headers.authorization?.replace(/^Bearer /, '');

export const KINDS: ProviderKind[] = [
  {
    kind: 'anthropic',
    provider: { use: 'anthropic', model: 'claude-sonnet-4-5', timeout_seconds: 1 },
    keyName: 'ANTHROPIC_API_KEY',
    key: 'sk-ant-api03-test-key-0123456789',
    env: (server) => ({
      ANTHROPIC_API_KEY: 'sk-ant-api03-test-key-0123456789',
      ANTHROPIC_BASE_URL: server.baseUrl('anthropic'),
    }),
    // $3 in, $15 out per million tokens.
    cost1200in300out: 0.0081,
    sent: (body: Body, headers) => ({
      model: body.model,
      system: body.system?.map((part: Body) => part.text).join(''),
      prompt: body.messages[0].content.map((part: Body) => part.text).join(''),
      temperature: body.temperature,
      maxTokens: body.max_tokens,
      key: headers['x-api-key'] as string | undefined,
    }),
  },
  {
    kind: 'openai',
    provider: { use: 'openai', model: 'gpt-5-mini', timeout_seconds: 1 },
    keyName: 'OPENAI_API_KEY',
    key: 'sk-proj-test-key-0123456789',
    env: (server) => ({
      OPENAI_API_KEY: 'sk-proj-test-key-0123456789',
      OPENAI_BASE_URL: server.baseUrl('openai'),
    }),
    // $0.25 in, $2 out per million tokens.
    cost1200in300out: 0.0009,
    sent: (body: Body, headers) => {
      const system = body.input.find((item: Body) => item.role === 'system' || item.role === 'developer');
      const user = body.input.find((item: Body) => item.role === 'user');
      return {
        model: body.model,
        system: system?.content,
        prompt: user.content.map((part: Body) => part.text).join(''),
        temperature: body.temperature,
        maxTokens: body.max_output_tokens,
        key: bearer(headers),
      };
    },
  },
  {
    kind: 'google',
    provider: { use: 'google', model: 'gemini-2.5-pro', timeout_seconds: 1 },
    keyName: 'GOOGLE_GENERATIVE_AI_API_KEY',
    key: 'AIzaSy-test-key-0123456789',
    env: (server) => ({
      GOOGLE_GENERATIVE_AI_API_KEY: 'AIzaSy-test-key-0123456789',
      GOOGLE_GENERATIVE_AI_BASE_URL: server.baseUrl('google'),
    }),
    // $1.25 in, $10 out per million tokens.
    cost1200in300out: 0.0045,
    sent: (body: Body, headers, path) => ({
      model: /\/models\/([^/:]+):generateContent$/.exec(path)?.[1] ?? '',
      system: body.systemInstruction?.parts.map((part: Body) => part.text).join(''),
      prompt: body.contents[0].parts.map((part: Body) => part.text).join(''),
      temperature: body.generationConfig?.temperature,
      maxTokens: body.generationConfig?.maxOutputTokens,
      key: headers['x-goog-api-key'] as string | undefined,
    }),
  },
  {
    kind: 'openai-compatible',
    provider: {
      use: 'openai-compatible',
      model: 'qwen3:14b-custom',
      base_url: 'http://placeholder.invalid/v1',
      api_key_env: 'LOCAL_LLM_KEY',
      price: { input_per_mtok: 0.5, output_per_mtok: 1.5 },
      timeout_seconds: 1,
    },
    keyName: 'LOCAL_LLM_KEY',
    key: 'local-test-key-0123456789',
    env: () => ({ LOCAL_LLM_KEY: 'local-test-key-0123456789' }),
    // The provider's own price: $0.50 in, $1.50 out per million tokens.
    cost1200in300out: 0.00105,
    sent: (body: Body, headers) => ({
      model: body.model,
      system: body.messages.find((m: Body) => m.role === 'system')?.content,
      prompt: body.messages.find((m: Body) => m.role === 'user')?.content,
      temperature: body.temperature,
      maxTokens: body.max_tokens,
      key: bearer(headers),
    }),
  },
];

/** The kind's provider pointed at the server (the OpenAI-compatible one has its base URL in the workflow). */
export function providerFor(kind: ProviderKind, server: ModelServer): ModelProvider {
  return kind.provider.use === 'openai-compatible'
    ? { ...kind.provider, base_url: server.baseUrl('openai-compatible') }
    : kind.provider;
}
