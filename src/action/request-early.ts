import type { GitHubClient } from '../github/create-octokit.ts';

/**
 * Sends the GET `route` with `parameters` now, before the code that needs its answer has loaded, and gives that
 * answer (or its failure) to the first identical request the client makes afterwards (same method, URL with its
 * query, and headers) instead of sending it again. Every other request, and any later identical one, goes to
 * GitHub as usual. The Action alone starts the subject's comment listing (the reconcile's first read) this way,
 * then loads the engine while the listing is on its way. Returns the early request, to wait until it is sent.
 * Cost: the one GET, which the job makes anyway; none more.
 */
export function requestEarly(
  octokit: GitHubClient,
  route: `GET ${string}`,
  parameters: Record<string, unknown>,
): Promise<unknown> {
  const key = requestKey(octokit.request.endpoint(route, parameters));
  let early: Promise<unknown> | undefined;
  octokit.hook.wrap('request', (request, options) => {
    if (early === undefined || options.request?.flowgateEarly === true) return request(options);
    if (requestKey(octokit.request.endpoint(options)) !== key) return request(options);
    const answer = early;
    early = undefined;
    return answer as ReturnType<typeof request>;
  });
  const sent = octokit.request(route, { ...parameters, request: { flowgateEarly: true } });
  early = sent;
  sent.catch(() => {}); // its failure is the asker's to handle; until asked for, it is no unhandled rejection
  return sent;
}

/** A request as GitHub receives it: method, URL with its query, and headers. */
function requestKey({
  method,
  url,
  headers,
}: {
  method: string;
  url: string;
  headers: Record<string, unknown>;
}): string {
  const sorted = Object.keys(headers)
    .sort()
    .map((name) => `${name}: ${String(headers[name])}`);
  return `${method} ${url}\n${sorted.join('\n')}`;
}
