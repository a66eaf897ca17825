import type { Workflow } from '../../core/workflow.ts';

export interface NeededSecret {
  name: string;
  /** Why the workflow needs it, in a few words. */
  why: string;
}

const MODEL_KEYS = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
} as const;

/**
 * The repository secrets a workflow's Actions jobs need: the keys its providers read. The state key is no repository
 * secret (state-key-steps.ts says where it goes in each mode).
 */
export function neededSecrets(workflow: Workflow): NeededSecret[] {
  const secrets = new Map<string, string>();
  for (const [name, provider] of Object.entries(workflow.providers ?? {})) {
    const add = (key: string) => {
      const users = secrets.get(key);
      secrets.set(key, users === undefined ? `provider ${name}` : `${users}, ${name}`);
    };
    if (provider.use === 'openai-compatible') {
      if (provider.api_key_env !== undefined) add(provider.api_key_env);
    } else if (provider.use === 'command') {
      for (const key of provider.pass_env ?? []) add(key);
    } else add(MODEL_KEYS[provider.use]);
  }
  return [...secrets].map(([name, why]) => ({ name, why }));
}
