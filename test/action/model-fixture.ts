import { KINDS, type Sent } from '../providers/provider-kinds.ts';
import type { ModelServer } from '../support/model-server.ts';

export const ANTHROPIC_KEY = 'sk-ant-api03-test-key-0123456789';
export const OPENAI_KEY = 'sk-proj-test-key-0123456789';

/** The environment that points the Action's providers at the model server. */
export function modelEnv(server: ModelServer): Record<string, string> {
  return {
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: server.baseUrl('anthropic'),
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: server.baseUrl('openai'),
  };
}

/** What the model server's request number `index` carried: system text, prompt, model, key. */
export function sentTo(server: ModelServer, index: number): Sent {
  const request = server.requests[index];
  if (request === undefined) throw new Error(`the model server got no request #${index}`);
  const kind = KINDS.find((k) => k.kind === request.api);
  if (kind === undefined) throw new Error(`no provider kind for ${request.path}`);
  return kind.sent(request.body, request.headers, request.path);
}
