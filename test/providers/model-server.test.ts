import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelServer } from '../support/model-server.ts';

let server: ModelServer;

beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

async function post(path: string, body: unknown = { model: 'm' }) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe('the model server', () => {
  it('answers 500 and says so when no scripted answer is left', async () => {
    const answer = await post('/v1/messages');
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'model server: no scripted answer left' },
    });
  });

  it('answers with the fallback once the queue is empty', async () => {
    server.fallback = { text: 'always' };
    server.enqueue({ text: 'first' });
    const first = JSON.parse((await post('/v1/chat/completions')).body);
    const second = JSON.parse((await post('/v1/chat/completions')).body);
    expect([first.choices[0].message.content, second.choices[0].message.content]).toEqual([
      'first',
      'always',
    ]);
    expect(server.pending).toBe(0);
  });

  it('records a path no API serves and answers 404', async () => {
    server.enqueue({ text: 'unused' });
    const answer = await post('/v1/completions', { prompt: 'x' });
    expect(answer.status).toBe(404);
    expect(server.requests).toMatchObject([
      { api: undefined, path: '/v1/completions', body: { prompt: 'x' } },
    ]);
    expect(server.pending).toBe(1);
  });

  it('sends scripted headers and waits the scripted delay', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '4' }, delayMs: 150 });
    const started = Date.now();
    const answer = await post('/v1beta/models/gemini-2.5-pro:generateContent');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('4');
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: 429, message: 'Rate limit exceeded.', status: 'RESOURCE_EXHAUSTED' },
    });
  });

  it('names the model of a Gemini call from its path', async () => {
    server.enqueue({ text: 'hi' });
    const body = JSON.parse((await post('/v1beta/models/gemini-2.5-flash:generateContent', {})).body);
    expect(body.modelVersion).toBe('gemini-2.5-flash');
    expect(body.candidates[0].content.parts).toEqual([{ text: 'hi' }]);
  });
});
