import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogle } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { Connection } from './resolve-connection.ts';
import type { ModelProvider } from './types.ts';

/**
 * The AI SDK model for a provider. Key and base URL are always passed in, so the SDK never falls back to reading
 * `process.env` itself. `fetch` lets the caller see each HTTP answer (its status and headers) as it arrives.
 *
 * - anthropic: the Messages API (`POST {base}/messages`);
 * - openai: the Responses API (`POST {base}/responses`), which `openai(model)` uses by default;
 * - google: the Gemini API (`POST {base}/models/{model}:generateContent`);
 * - openai-compatible: chat completions (`POST {base}/chat/completions`).
 */
export function languageModel(
  provider: ModelProvider,
  connection: Connection,
  fetch: typeof globalThis.fetch,
): LanguageModel {
  const { baseUrl: baseURL, apiKey } = connection;
  switch (provider.use) {
    case 'anthropic':
      return createAnthropic({ baseURL, apiKey: apiKey ?? '', fetch })(provider.model);
    case 'openai':
      return createOpenAI({ baseURL, apiKey: apiKey ?? '', fetch })(provider.model);
    case 'google':
      return createGoogle({ baseURL, apiKey: apiKey ?? '', fetch })(provider.model);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL,
        ...(apiKey === undefined ? {} : { apiKey }),
        fetch,
      })(provider.model);
  }
}
