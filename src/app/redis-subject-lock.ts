import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { acquireLease, releaseLease, renewLease } from './redis-lease.ts';
import type { SubjectLock } from './subject-lock.ts';
import { SubjectQueue } from './subject-queue.ts';

export interface LockLog {
  warn: (message: string) => void;
  error: (message: string) => void;
}

export interface RedisLockTimes {
  /** How long a lease lasts unless renewed: how long a replica that died while holding it blocks the subject. */
  leaseMs: number;
  /** How often a running task renews its lease (well under `leaseMs`, so a slow reconcile keeps it). */
  renewMs: number;
  /** How long a delivery waits for another replica's lease before it goes ahead without one. */
  waitMs: number;
}

export const LOCK_TIMES: RedisLockTimes = { leaseMs: 30_000, renewMs: 10_000, waitMs: 120_000 };
const KEY_PREFIX = 'flowgate:lock:';
const FIRST_BACKOFF_MS = 20;
const MAX_BACKOFF_MS = 500;

/**
 * Serialises the handling of each subject across replicas: an in-process queue first (so one replica sends one
 * contender per subject to Redis), then a Redis lease on `flowgate:lock:<owner>/<repo>#<number>`, renewed while the
 * task runs and released by token. A delivery that finds the lease held waits for it, polling with a backoff that
 * doubles up to 0.5 s, and then reconciles: its re-read starts after the other replica's work has ended, so nothing
 * that work missed is lost. Three cases go ahead without the lease, each logged: Redis cannot be reached (each
 * replica still serialises its own deliveries), the wait passes `waitMs`, and the lease runs out mid-task. In all
 * three the status comment's `rev` check still catches a write made in between.
 */
export class RedisSubjectLock implements SubjectLock {
  readonly #redis: Redis;
  readonly #log: LockLog;
  readonly #times: RedisLockTimes;
  readonly #local = new SubjectQueue();

  constructor(redis: Redis, log: LockLog, times: Partial<RedisLockTimes> = {}) {
    this.#redis = redis;
    this.#log = log;
    this.#times = { ...LOCK_TIMES, ...times };
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.#local.run(key, () => this.#leased(key, task));
  }

  async close(): Promise<void> {
    if (this.#redis.status === 'ready') await this.#redis.quit();
    else this.#redis.disconnect();
  }

  async #leased<T>(key: string, task: () => Promise<T>): Promise<T> {
    const redisKey = KEY_PREFIX + key;
    const token = await this.#acquire(key, redisKey);
    if (token === undefined) return task();
    const renewal = this.#keepRenewing(key, redisKey, token);
    try {
      return await task();
    } finally {
      renewal.stop();
      await this.#release(key, redisKey, token, renewal.lost());
    }
  }

  /** The lease's token, or undefined when the task has to go ahead without one (logged). */
  async #acquire(key: string, redisKey: string): Promise<string | undefined> {
    const token = randomBytes(16).toString('hex');
    const deadline = Date.now() + this.#times.waitMs;
    for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      try {
        if (await acquireLease(this.#redis, redisKey, token, this.#times.leaseMs)) return token;
      } catch (error) {
        this.#log.error(
          `${key}: no Redis lock (${messageOf(error)}); handled without it, serialised in this replica only`,
        );
        return undefined;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#log.warn(
          `${key}: another replica held the Redis lock for more than ${this.#times.waitMs / 1000} s; handled without it`,
        );
        return undefined;
      }
      // Jittered, so that replicas waiting for the same subject do not poll in step.
      await sleep(Math.min(left, backoff / 2 + Math.random() * (backoff / 2)));
    }
  }

  #keepRenewing(key: string, redisKey: string, token: string): { stop: () => void; lost: () => boolean } {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    let lost = false;
    const renew = async () => {
      try {
        if (!(await renewLease(this.#redis, redisKey, token, this.#times.leaseMs))) {
          lost = true;
          if (!stopped) {
            this.#log.warn(
              `${key}: the Redis lock ran out while the work went on; another replica may be handling the subject too`,
            );
          }
          return;
        }
      } catch (error) {
        this.#log.warn(`${key}: could not renew the Redis lock (${messageOf(error)}); trying again`);
      }
      if (!stopped) timer = setTimeout(renew, this.#times.renewMs);
    };
    timer = setTimeout(renew, this.#times.renewMs);
    return {
      stop: () => {
        stopped = true;
        clearTimeout(timer);
      },
      lost: () => lost,
    };
  }

  async #release(key: string, redisKey: string, token: string, lost: boolean): Promise<void> {
    try {
      if (!(await releaseLease(this.#redis, redisKey, token)) && !lost) {
        this.#log.warn(
          `${key}: the Redis lock had run out before the work ended; another replica may have handled the subject too`,
        );
      }
    } catch (error) {
      this.#log.warn(
        `${key}: could not release the Redis lock (${messageOf(error)}); it runs out by itself within ${this.#times.leaseMs / 1000} s`,
      );
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
