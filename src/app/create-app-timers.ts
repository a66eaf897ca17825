import type { AppConfig } from './app-config.ts';
import { connectRedis } from './redis-lease.ts';
import { RedisTimers } from './redis-timers.ts';
import { type AppTimers, LocalTimers, type TimerLog } from './timers.ts';

export const DEFAULT_CATCH_UP_MINUTES = 15;

/**
 * The app's timers: in Redis when `REDIS_URL` is set (durable across restarts, one replica fires each), otherwise
 * in memory; with either, a catch-up scan every `FLOWGATE_CATCH_UP_MINUTES` (15 by default; 0: none), run by one
 * replica at a time with Redis.
 */
export function createAppTimers(config: AppConfig, log: TimerLog): AppTimers {
  const catchUpMinutes = config.catchUpMinutes ?? DEFAULT_CATCH_UP_MINUTES;
  if (config.redis !== undefined)
    return new RedisTimers(connectRedis(config.redis.url, log), log, { catchUpMinutes });
  return new LocalTimers({ catchUpMinutes }, log);
}
