import { PERMISSIONS, type Permission } from '../core/schema/gate.ts';

/** What the app needs besides Probot's own settings (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET...). */
export interface AppConfig {
  /** HMAC key that signs the state block; the Action must hold the same. */
  stateKey: string;
  /** The file name of the team's Actions workflow that runs stages (workflow_dispatch). */
  actionsWorkflow: string;
  /** The least permission that may start a run by label or `/flowgate start`. */
  startPermission: Permission;
  /** Logins whose output comments the app ingests: the Actions bot, and the app's own bot. */
  outputAuthors: string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the app's settings from the environment; a missing or bad one is a start-up error that says how to fix it. */
export function readAppConfig(env: Record<string, string | undefined>): AppConfig {
  const stateKey = env.FLOWGATE_STATE_KEY ?? '';
  if (stateKey.length < 32) {
    throw new ConfigError(
      stateKey === ''
        ? 'FLOWGATE_STATE_KEY is not set. It signs the run state kept in status comments; set it to a random secret of at least 32 characters (e.g. `openssl rand -hex 32`) and give the same value to the flowgate Action as a secret.'
        : 'FLOWGATE_STATE_KEY is shorter than 32 characters; use a random secret of at least 32 characters (e.g. `openssl rand -hex 32`).',
    );
  }
  const startPermission = (env.FLOWGATE_START_PERMISSION ?? 'write') as Permission;
  if (!PERMISSIONS.includes(startPermission)) {
    throw new ConfigError(
      `FLOWGATE_START_PERMISSION must be one of ${PERMISSIONS.join(', ')}, not "${startPermission}".`,
    );
  }
  const extra = (env.FLOWGATE_OUTPUT_AUTHORS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    stateKey,
    actionsWorkflow: env.FLOWGATE_ACTIONS_WORKFLOW ?? 'flowgate.yml',
    startPermission,
    outputAuthors: ['github-actions[bot]', ...extra],
  };
}
