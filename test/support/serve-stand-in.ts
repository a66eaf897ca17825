import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitHubStandIn } from './github-stand-in.ts';

/**
 * Serves a GitHub stand-in over HTTP on 127.0.0.1, for a client in another process (the bundled Action, a
 * benchmark). Sets `github.baseUrl` so that pagination links point here. `onRequest` sees every request first.
 */
export async function serveStandIn(
  github: GitHubStandIn,
  onRequest: (method: string, path: string) => void = () => {},
  /** A path prefix the client puts before every route (`/api/v3` for a GitHub Enterprise Server base URL). */
  prefix = '',
  /** Milliseconds each request waits before the stand-in handles it: a GitHub far away or slow. */
  delayMs = 0,
  /** Sees each request with GitHub's answer: its status, and whether a GraphQL request was a mutation. */
  onAnswer: (answered: {
    method: string;
    path: string;
    status: number;
    mutation: boolean;
  }) => void = () => {},
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // GitHub Enterprise Server serves GraphQL at /api/graphql, beside the REST API's /api/v3, not under it.
      const ghes = prefix === '/api/v3';
      if (ghes && url.pathname === '/api/v3/graphql') {
        onRequest(req.method ?? 'GET', url.pathname);
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      if (prefix !== '' && url.pathname.startsWith(prefix)) url.pathname = url.pathname.slice(prefix.length);
      else if (ghes && url.pathname === '/api/graphql') url.pathname = '/graphql';
      onRequest(req.method ?? 'GET', url.pathname);
      const text = Buffer.concat(chunks).toString('utf8');
      const answer = github.handle({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body: text === '' ? undefined : JSON.parse(text),
        ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
        ...(typeof req.headers['if-none-match'] === 'string'
          ? { ifNoneMatch: req.headers['if-none-match'] }
          : {}),
      });
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      const query = (body as { query?: unknown } | undefined)?.query;
      onAnswer({
        method: req.method ?? 'GET',
        path: url.pathname,
        status: answer.status,
        mutation: typeof query === 'string' && /^\s*mutation\b/.test(query),
      });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined || answer.status === 304 ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  github.baseUrl = url + prefix;
  return {
    url,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
