import nock from 'nock';
import type { GitHubStandIn } from './github-stand-in.ts';

/** Mounts a stand-in behind nock at api.github.com, for every method and path. */
export function mountStandIn(github: GitHubStandIn): nock.Scope {
  const scope = nock('https://api.github.com').persist();
  for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
    // nock 15 hands a reply function the fetch Request (one parameter: answered by the returned promise).
    scope[method](/.*/)
      .query(true)
      .reply(async (request: Request) => {
        const url = new URL(request.url);
        const text = await request.text();
        const body = text === '' ? undefined : (JSON.parse(text) as unknown);
        const answer = github.handle({
          method: method.toUpperCase(),
          path: url.pathname,
          query: url.searchParams,
          body,
          ...(request.headers.get('if-none-match') === null
            ? {}
            : { ifNoneMatch: request.headers.get('if-none-match') ?? '' }),
        });
        const headers = { 'content-type': 'application/json', ...answer.headers };
        return [
          answer.status,
          answer.body === undefined || answer.status === 304 ? '' : JSON.stringify(answer.body),
          headers,
        ];
      });
  }
  return scope;
}
