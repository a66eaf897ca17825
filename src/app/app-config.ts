import { PERMISSIONS, type Permission } from '../core/schema/gate.ts';
import { parseStateKeys } from '../core/state/state-keys.ts';
import type { ReconcileConfig } from '../reconcile/reconcile-config.ts';

/** What the app needs besides Probot's own settings (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET...). */
export interface AppConfig extends ReconcileConfig {
  /** With `REDIS_URL`: the Redis that serialises subjects across replicas, and how long a delivery waits for it. */
  redis?: { url: string; waitMs: number };
  /**
   * Without Redis: minutes between catch-up scans, which find the runs whose due times no timer in memory holds
   * (after a restart); 0 turns them off. Default 15. Not used with Redis, whose timers survive restarts.
   */
  catchUpMinutes?: number;
  /**
   * `FLOWGATE_AWAIT_WORK`: true, a delivery is answered only after its work (serverless platforms, which may freeze
   * a function once it has answered); false, it is answered first and worked on after. Unset: the host's default
   * (`npm start` answers first; the app function of src/app/index.ts awaits the work).
   */
  awaitWork?: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the app's settings from the environment; a missing or bad one is a start-up error that says how to fix it. */
export function readAppConfig(env: Record<string, string | undefined>): AppConfig {
  const stateKey = readAppStateKey(env);
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
  const redis = readRedis(env);
  const catchUpMinutes = readCatchUpMinutes(env);
  const awaitWork = readAwaitWork(env);
  return {
    stateKey,
    actionsWorkflow: env.FLOWGATE_ACTIONS_WORKFLOW ?? 'flowgate.yml',
    startPermission,
    outputAuthors: ['github-actions[bot]', ...extra],
    ...(redis === undefined ? {} : { redis }),
    ...(catchUpMinutes === undefined ? {} : { catchUpMinutes }),
    ...(awaitWork === undefined ? {} : { awaitWork }),
  };
}

/** `FLOWGATE_AWAIT_WORK`: true or false; unset: undefined (the host's default). */
function readAwaitWork(env: Record<string, string | undefined>): boolean | undefined {
  const text = env.FLOWGATE_AWAIT_WORK?.trim().toLowerCase() ?? '';
  if (text === '') return undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new ConfigError(
    `FLOWGATE_AWAIT_WORK must be true (answer each webhook after its work: serverless platforms) or false (answer first, then work), not "${env.FLOWGATE_AWAIT_WORK}".`,
  );
}

/** `FLOWGATE_CATCH_UP_MINUTES`: a whole number of minutes from 0 (no scan) to 1440; unset: the default. */
function readCatchUpMinutes(env: Record<string, string | undefined>): number | undefined {
  const text = env.FLOWGATE_CATCH_UP_MINUTES?.trim() ?? '';
  if (text === '') return undefined;
  const minutes = Number(text);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
    throw new ConfigError(
      `FLOWGATE_CATCH_UP_MINUTES must be a whole number of minutes from 0 (no catch-up scan) to 1440, not "${text}".`,
    );
  }
  return minutes;
}

/** The private key (first) and the previous public keys, as one key ring text; a start-up error when unusable. */
function readAppStateKey(env: Record<string, string | undefined>): string {
  const privateKey = env.FLOWGATE_STATE_PRIVATE_KEY?.trim() ?? '';
  if (privateKey === '') {
    throw new ConfigError(
      env.FLOWGATE_STATE_KEY === undefined
        ? 'FLOWGATE_STATE_PRIVATE_KEY is not set. It signs the run state kept in status comments and never leaves the app; make one with `npx flowgate key generate`, and give the Action only its public key (`npx flowgate key public`).'
        : 'FLOWGATE_STATE_KEY (a secret shared with the Action) is no longer used: anyone who can run a workflow could read it and forge run states. Make a key pair with `npx flowgate key generate`, set FLOWGATE_STATE_PRIVATE_KEY on the app, give the Action the public key, and delete the FLOWGATE_STATE_KEY Actions secret (docs/security.md).',
    );
  }
  const parsed = parseStateKeys(privateKey);
  if (!parsed.ok) throw new ConfigError(`FLOWGATE_STATE_PRIVATE_KEY: ${parsed.message}`);
  if (parsed.ring.signer === undefined || parsed.ring.verifiers.length !== 1) {
    throw new ConfigError(
      'FLOWGATE_STATE_PRIVATE_KEY must hold exactly one private key (fgsk1_... or a PEM Ed25519 private key); put older public keys in FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS.',
    );
  }
  const previous = env.FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS?.trim() ?? '';
  if (previous === '') return privateKey;
  const older = parseStateKeys(previous);
  if (!older.ok) throw new ConfigError(`FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS: ${older.message}`);
  if (older.ring.signer !== undefined) {
    throw new ConfigError('FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS must hold public keys only (fgpk1_...).');
  }
  return `${privateKey}\n${previous}`;
}

const DEFAULT_LOCK_WAIT_SECONDS = 120;

/** `REDIS_URL` (also read by Probot for its rate-limit bookkeeping) and `FLOWGATE_LOCK_WAIT_SECONDS`. */
function readRedis(env: Record<string, string | undefined>): AppConfig['redis'] {
  const wait = env.FLOWGATE_LOCK_WAIT_SECONDS;
  const seconds = wait === undefined || wait.trim() === '' ? DEFAULT_LOCK_WAIT_SECONDS : Number(wait);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new ConfigError(
      `FLOWGATE_LOCK_WAIT_SECONDS must be a number of seconds above 0 and at most 3600, not "${wait}".`,
    );
  }
  const url = env.REDIS_URL?.trim() ?? '';
  if (url === '') return undefined;
  // The value may hold a password: the messages below never repeat it.
  const example = 'such as redis://localhost:6379 or rediss://:password@redis.example.com:6380/0';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`REDIS_URL is not a URL; give one ${example}.`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(
      `REDIS_URL must start with redis:// or rediss:// (it starts with "${parsed.protocol}"); give one ${example}.`,
    );
  }
  if (parsed.hostname === '') throw new ConfigError(`REDIS_URL names no host; give one ${example}.`);
  if (!/^(\/\d*)?$/.test(parsed.pathname)) {
    throw new ConfigError(
      `REDIS_URL's path must be a database number (/0 to /15 on a default Redis) or nothing; give a URL ${example}.`,
    );
  }
  return { url, waitMs: seconds * 1000 };
}
