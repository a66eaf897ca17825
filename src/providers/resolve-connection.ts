import { ProviderError } from './provider-error.ts';
import type { ModelRequest } from './types.ts';

/** Where and with which key a provider's API is called. */
export interface Connection {
  /** The URL the SDK appends the API's paths to, e.g. `https://api.anthropic.com/v1`. */
  baseUrl: string;
  /** The API key, or undefined for an OpenAI-compatible server that needs none. */
  apiKey: string | undefined;
  /** The env variable the key came from, or would come from: messages tell people to check it. */
  keyName: string | undefined;
}

const PUBLIC_URLS = {
  anthropic: 'https://api.anthropic.com/v1',
  openai: 'https://api.openai.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
} as const;

/**
 * The base URL and API key of a request's provider, read from `request.env` only.
 *
 * - Keys: `ANTHROPIC_API_KEY`, `OPENAI_API_KEY`, `GOOGLE_GENERATIVE_AI_API_KEY` (else `GEMINI_API_KEY`), and the
 *   variable named by `api_key_env` for an OpenAI-compatible server (no key when it names none).
 * - Base URLs: the provider's `base_url`, else `ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL` /
 *   `GOOGLE_GENERATIVE_AI_BASE_URL`, else the public API. An Anthropic URL not ending in `/v1` gets it appended,
 *   so both the Anthropic SDK's convention (`https://api.anthropic.com`) and the AI SDK's (`.../v1`) work.
 *
 * An empty variable counts as unset (GitHub Actions passes an unset secret as an empty string). A missing key or
 * an unreadable URL throws a ProviderError that names the variable to set, before any network call.
 */
export function resolveConnection(request: Pick<ModelRequest, 'name' | 'provider' | 'env'>): Connection {
  const { provider } = request;
  switch (provider.use) {
    case 'anthropic': {
      const base = baseUrl(request, provider.base_url, 'ANTHROPIC_BASE_URL', PUBLIC_URLS.anthropic);
      return { baseUrl: withV1(base), ...requireKey(request, ['ANTHROPIC_API_KEY']) };
    }
    case 'openai':
      return {
        baseUrl: baseUrl(request, provider.base_url, 'OPENAI_BASE_URL', PUBLIC_URLS.openai),
        ...requireKey(request, ['OPENAI_API_KEY']),
      };
    case 'google':
      return {
        baseUrl: baseUrl(request, undefined, 'GOOGLE_GENERATIVE_AI_BASE_URL', PUBLIC_URLS.google),
        ...requireKey(request, ['GOOGLE_GENERATIVE_AI_API_KEY', 'GEMINI_API_KEY']),
      };
    case 'openai-compatible': {
      const url = checkedUrl(request, provider.base_url, 'base_url');
      if (provider.api_key_env === undefined) return { baseUrl: url, apiKey: undefined, keyName: undefined };
      return { baseUrl: url, ...requireKey(request, [provider.api_key_env]) };
    }
    default:
      return notAModel(request, provider);
  }
}

function requireKey(
  request: Pick<ModelRequest, 'name' | 'provider' | 'env'>,
  names: readonly [string, ...string[]],
): { apiKey: string; keyName: string } {
  for (const name of names) {
    const value = request.env[name]?.trim();
    if (value !== undefined && value !== '') return { apiKey: value, keyName: name };
  }
  const [first, ...others] = names;
  const or = others.length === 0 ? '' : ` (or ${others.join(', ')})`;
  throw new ProviderError({
    provider: request.name,
    message:
      `provider "${request.name}" (${request.provider.use}) has no API key: set the ${first} secret${or} and pass ` +
      `it to the flowgate step as an environment variable (env: ${first}: \${{ secrets.${first} }}).`,
    env: request.env,
  });
}

function baseUrl(
  request: Pick<ModelRequest, 'name' | 'provider' | 'env'>,
  configured: string | undefined,
  envName: string,
  publicUrl: string,
): string {
  if (configured !== undefined) return checkedUrl(request, configured, 'base_url');
  const fromEnv = request.env[envName]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return checkedUrl(request, fromEnv, envName);
  return publicUrl;
}

function checkedUrl(
  request: Pick<ModelRequest, 'name' | 'provider' | 'env'>,
  url: string,
  source: string,
): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new ProviderError({
      provider: request.name,
      message: `provider "${request.name}" (${request.provider.use}): ${source} "${url}" is not an http(s) URL.`,
      env: request.env,
    });
  }
  return url.replace(/\/+$/, '');
}

function withV1(url: string): string {
  return url.endsWith('/v1') ? url : `${url}/v1`;
}

/** A `command` provider (or anything else) that slipped past the types: it is not a model API. */
function notAModel(request: Pick<ModelRequest, 'name' | 'env'>, provider: never): never {
  const kind = JSON.stringify((provider as { use?: unknown }).use);
  throw new ProviderError({
    provider: request.name,
    message: `provider "${request.name}" (${kind}) is not a model API: only anthropic, openai, openai-compatible and google providers can answer a prompt.`,
    env: request.env,
  });
}
