import { describe, expect, it } from 'vitest';
import type { ModelProvider } from '../../src/providers/index.ts';
import { ProviderError } from '../../src/providers/provider-error.ts';
import { resolveConnection } from '../../src/providers/resolve-connection.ts';

const anthropic: ModelProvider = { use: 'anthropic', model: 'claude-sonnet-4-5', timeout_seconds: 300 };
const openai: ModelProvider = { use: 'openai', model: 'gpt-5-mini', timeout_seconds: 300 };
const google: ModelProvider = { use: 'google', model: 'gemini-2.5-pro', timeout_seconds: 300 };

function resolve(provider: ModelProvider, env: Record<string, string | undefined>) {
  return resolveConnection({ name: 'p', provider, env });
}

describe('resolveConnection', () => {
  describe('base URL', () => {
    it.each([
      [anthropic, 'https://api.anthropic.com/v1'],
      [openai, 'https://api.openai.com/v1'],
      [google, 'https://generativelanguage.googleapis.com/v1beta'],
    ])('is the public API of %o by default', (provider, url) => {
      const env = { ANTHROPIC_API_KEY: 'k', OPENAI_API_KEY: 'k', GOOGLE_GENERATIVE_AI_API_KEY: 'k' };
      expect(resolve(provider, env).baseUrl).toBe(url);
    });

    it('comes from the env variable when the provider sets none', () => {
      const env = {
        OPENAI_API_KEY: 'k',
        OPENAI_BASE_URL: 'https://proxy.example.com/openai/v1/',
        GOOGLE_GENERATIVE_AI_API_KEY: 'k',
        GOOGLE_GENERATIVE_AI_BASE_URL: 'https://gemini.example.com/v1beta',
      };
      expect(resolve(openai, env).baseUrl).toBe('https://proxy.example.com/openai/v1');
      expect(resolve(google, env).baseUrl).toBe('https://gemini.example.com/v1beta');
    });

    it('is the provider’s base_url before the env variable', () => {
      const env = { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'https://env.example.com/v1' };
      expect(resolve({ ...openai, base_url: 'https://workflow.example.com/v1' }, env).baseUrl).toBe(
        'https://workflow.example.com/v1',
      );
    });

    it.each([
      ['https://api.anthropic.com', 'https://api.anthropic.com/v1'],
      ['https://gateway.example.com/anthropic/', 'https://gateway.example.com/anthropic/v1'],
      ['https://gateway.example.com/anthropic/v1', 'https://gateway.example.com/anthropic/v1'],
    ])('for Anthropic, reads %s as the Anthropic SDK does (%s)', (given, used) => {
      expect(resolve(anthropic, { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: given }).baseUrl).toBe(used);
    });

    it('refuses an env value that is not an http(s) URL, naming the variable', () => {
      expect(() => resolve(openai, { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'api.openai.com' })).toThrow(
        'provider "p" (openai): OPENAI_BASE_URL "api.openai.com" is not an http(s) URL.',
      );
    });

    it('ignores an empty env value', () => {
      expect(resolve(openai, { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: '' }).baseUrl).toBe(
        'https://api.openai.com/v1',
      );
    });
  });

  describe('API key', () => {
    it('takes GEMINI_API_KEY when GOOGLE_GENERATIVE_AI_API_KEY is unset', () => {
      expect(resolve(google, { GEMINI_API_KEY: 'gem' })).toMatchObject({
        apiKey: 'gem',
        keyName: 'GEMINI_API_KEY',
      });
    });

    it('prefers GOOGLE_GENERATIVE_AI_API_KEY to GEMINI_API_KEY', () => {
      expect(resolve(google, { GEMINI_API_KEY: 'gem', GOOGLE_GENERATIVE_AI_API_KEY: 'goo' }).apiKey).toBe(
        'goo',
      );
    });

    it('names both Google variables when neither is set', () => {
      expect(() => resolve(google, {})).toThrow(
        `provider "p" (google) has no API key: set the GOOGLE_GENERATIVE_AI_API_KEY secret (or GEMINI_API_KEY) and pass it to the flowgate step as an environment variable (env: GOOGLE_GENERATIVE_AI_API_KEY: \${{ secrets.GOOGLE_GENERATIVE_AI_API_KEY }}).`,
      );
    });

    it('reads the variable api_key_env names for an OpenAI-compatible server', () => {
      const provider: ModelProvider = {
        use: 'openai-compatible',
        model: 'qwen3',
        base_url: 'http://localhost:11434/v1',
        api_key_env: 'LOCAL_KEY',
        timeout_seconds: 300,
      };
      expect(resolve(provider, { LOCAL_KEY: ' local ' })).toEqual({
        baseUrl: 'http://localhost:11434/v1',
        apiKey: 'local',
        keyName: 'LOCAL_KEY',
      });
      expect(() => resolve(provider, {})).toThrow(ProviderError);
      expect(() => resolve(provider, {})).toThrow('set the LOCAL_KEY secret');
    });
  });
});
