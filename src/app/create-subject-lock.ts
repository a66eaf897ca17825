import type { AppConfig } from './app-config.ts';
import { connectRedis, type RedisLog } from './redis-lease.ts';
import { type LockLog, RedisSubjectLock } from './redis-subject-lock.ts';
import type { SubjectLock } from './subject-lock.ts';
import { SubjectQueue } from './subject-queue.ts';

/** The app's subject lock: across replicas through Redis when `REDIS_URL` is set, otherwise in this process only. */
export function createSubjectLock(config: AppConfig, log: RedisLog & LockLog): SubjectLock {
  if (config.redis === undefined) return new SubjectQueue();
  return new RedisSubjectLock(connectRedis(config.redis.url, log), log, { waitMs: config.redis.waitMs });
}
