import type { MemoryGitHub } from './memory-github.ts';

/**
 * A `fetch` that answers every request from an in-memory GitHub instead of the network, for an Octokit client
 * (`createOctokit({ fetch })`): the same adapter code that talks to GitHub talks to it. Bodies go through JSON both
 * ways, as over HTTP, so nothing is shared by reference between the client and the store.
 */
export function memoryFetch(github: MemoryGitHub): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const authorization = request.headers.get('authorization');
    const ifNoneMatch = request.headers.get('if-none-match');
    const answer = github.handle({
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
      ...(authorization === null ? {} : { authorization }),
      ...(ifNoneMatch === null ? {} : { ifNoneMatch }),
    });
    const empty = answer.body === undefined || answer.status === 204 || answer.status === 304;
    return new Response(empty ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers },
    });
  };
}
