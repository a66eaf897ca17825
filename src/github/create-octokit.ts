import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

const FlowgateOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof FlowgateOctokit>;

export interface CreateOctokitParams {
  token?: string;
  baseUrl?: string;
  /** Tests turn retries and throttling off so that they neither wait nor repeat requests. */
  resilient?: boolean;
  log?: (message: string) => void;
  /** The transport (default: the global fetch); `flowgate simulate` passes one that answers from memory. */
  fetch?: typeof fetch;
}

/** The one place an Octokit client is built: retries on 5xx and waits out rate limits instead of failing. */
export function createOctokit({
  token,
  baseUrl,
  resilient = true,
  log,
  fetch,
}: CreateOctokitParams): GitHubClient {
  return new FlowgateOctokit({
    auth: token,
    baseUrl: baseUrl ?? 'https://api.github.com',
    userAgent: 'flowgate',
    // Octokit's own defaults, except that a conditional request answered 304 (how flowgate avoids counted reads) is
    // not reported as an error.
    log: {
      debug: () => {},
      info: () => {},
      warn: console.warn,
      error: (message: string) => {
        if (!/ - 304 with id /.test(message)) console.error(message);
      },
    },
    ...(fetch === undefined ? {} : { request: { fetch } }),
    retry: { enabled: resilient },
    throttle: {
      enabled: resilient,
      onRateLimit: (
        retryAfter: number,
        options: { method: string; url: string },
        _client: unknown,
        retryCount: number,
      ) => {
        log?.(`rate limited on ${options.method} ${options.url}; waiting ${retryAfter}s`);
        return retryCount < 3;
      },
      onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }) => {
        log?.(`secondary rate limit on ${options.method} ${options.url}; waiting ${retryAfter}s`);
        return true;
      },
    },
  });
}
