import {
  BASE_ENV_NAMES,
  BASE_ENV_PREFIXES,
  PROXY_ENV_NAMES,
  reservedEnvReason,
} from '../core/agent-env-rule.ts';

export type Environment = Record<string, string | undefined>;

export interface AgentEnvironmentParams {
  /** The job's environment (`process.env` in the Action). Read, never changed. */
  parent: Environment;
  /** The provider's `pass_env`: further variables the stage passes to the agent by name. */
  passEnv: readonly string[];
  /** False when the checked-out code comes from a fork: then no named variable is passed at all. */
  trusted: boolean;
  /** Variables flowgate sets for the agent (`FLOWGATE_ITERATION`, ...); they win over the parent's. */
  set?: Record<string, string>;
}

export type AgentEnvironment =
  | {
      ok: true;
      env: Record<string, string>;
      /** The `pass_env` names that were passed (the job had them). */
      passed: string[];
      /** The `pass_env` names the job does not have (a secret that is not set, say). */
      missing: string[];
      /** The values of the passed variables: to redact from anything the agent prints. */
      secrets: string[];
    }
  | { ok: false; message: string };

/**
 * The environment an agent runs with. Default deny: the agent sees the safe base set (`PATH`, `HOME`, locale,
 * GitHub's non-secret run variables, proxies without credentials; see src/core/agent-env-rule.ts) and the
 * variables the stage names in `pass_env`, nothing else. A name flowgate never passes (`GITHUB_TOKEN`,
 * `FLOWGATE_*`, ...) is refused, and so is any `pass_env` at all when the code is from a fork.
 */
export function agentEnvironment(params: AgentEnvironmentParams): AgentEnvironment {
  const reserved = params.passEnv.filter((name) => reservedEnvReason(name) !== undefined);
  if (reserved.length > 0) {
    const name = reserved[0] ?? '';
    return {
      ok: false,
      message: `refused to run the agent: pass_env names ${name}, which is never passed to an agent (${reservedEnvReason(name)})`,
    };
  }
  if (!params.trusted && params.passEnv.length > 0) {
    return {
      ok: false,
      message:
        `refused to run the agent: the checked-out code comes from a fork, and the stage passes ${params.passEnv.join(', ')} ` +
        'to it (pass_env). flowgate never gives secrets to code from a fork: run this stage on a branch of the repository, ' +
        'or use a provider without pass_env for pull requests from forks.',
    };
  }

  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(params.parent)) {
    if (value === undefined || !isBase(name, value)) continue;
    env[name] = value;
  }
  const passed: string[] = [];
  const missing: string[] = [];
  const secrets: string[] = [];
  for (const name of params.passEnv) {
    const value = params.parent[name];
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    env[name] = value;
    passed.push(name);
    if (value.length >= 4) secrets.push(value);
  }
  return { ok: true, env: { ...env, ...params.set }, passed, missing, secrets };
}

function isBase(name: string, value: string): boolean {
  if (BASE_ENV_NAMES.includes(name)) return true;
  if (BASE_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) return true;
  return PROXY_ENV_NAMES.includes(name) && !hasCredentials(value);
}

/** A proxy URL such as `http://user:secret@proxy:3128` carries credentials; a bare host list does not. */
function hasCredentials(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*@/i.test(value.trim());
}
