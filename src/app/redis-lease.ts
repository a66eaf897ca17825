import { Redis } from 'ioredis';

/**
 * Everything flowgate says to Redis: the connection, and a lease on a key. A lease is taken with SET NX PX and a
 * random token; only the holder of the token renews or releases it, through Lua scripts that compare the token
 * before they touch the key, so a holder whose lease ran out cannot extend or delete the lease of the next one.
 */

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisLog {
  info: (message: string) => void;
  error: (message: string) => void;
}

/**
 * Connects to `url` (connecting starts at once). Commands fail fast while Redis is away: each gets an answer or an
 * error within a few seconds (one reconnection attempt, then the error), instead of queueing until Redis is back.
 * The connection's state changes are logged once each, not at every reconnection attempt.
 */
export function connectRedis(url: string, log: RedisLog): Redis {
  const redis = new Redis(url, {
    connectTimeout: 5000,
    commandTimeout: 3000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  const where = redisAddress(url);
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.error(
      `Redis at ${where} cannot be used (${error.message}): each replica serialises its own deliveries only, until Redis is back`,
    );
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info(`Redis at ${where} is back: deliveries for a subject are serialised across replicas again`);
  });
  return redis;
}

/** Where a Redis URL points, for logs: host and port, never the password. */
export function redisAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port === '' ? '6379' : parsed.port}`;
}

/** Takes the lease on `key` for `ms` if nobody holds it; true when taken. */
export async function acquireLease(redis: Redis, key: string, token: string, ms: number): Promise<boolean> {
  return (await redis.set(key, token, 'PX', ms, 'NX')) === 'OK';
}

/** Extends the lease to `ms` from now if `token` still holds it; false when the lease was lost. */
export async function renewLease(redis: Redis, key: string, token: string, ms: number): Promise<boolean> {
  return (await redis.eval(RENEW, 1, key, token, ms)) === 1;
}

/** Deletes the lease if `token` still holds it; false when it had run out (and may be someone else's now). */
export async function releaseLease(redis: Redis, key: string, token: string): Promise<boolean> {
  return (await redis.eval(RELEASE, 1, key, token)) === 1;
}
