import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSubjectLock } from '../../src/app/create-subject-lock.ts';
import { acquireLease, connectRedis, releaseLease, renewLease } from '../../src/app/redis-lease.ts';
import { type RedisLockTimes, RedisSubjectLock } from '../../src/app/redis-subject-lock.ts';
import { SubjectQueue } from '../../src/app/subject-queue.ts';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.ts';

const KEY = 'acme/widgets#7';
const REDIS_KEY = `flowgate:lock:${KEY}`;

/** A log that keeps its lines, as "level: message". */
function memoryLog() {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => lines.push(`info: ${m}`),
    warn: (m: string) => lines.push(`warn: ${m}`),
    error: (m: string) => lines.push(`error: ${m}`),
  };
}

/** Tasks that record when they ran and how many of them ran at once. */
function recorder() {
  let inside = 0;
  const r = {
    most: 0,
    spans: [] as { name: string; start: number; end: number }[],
    task: (name: string, ms: number, gate?: Promise<unknown>) => async (): Promise<string> => {
      inside++;
      r.most = Math.max(r.most, inside);
      const start = performance.now();
      await (gate ?? sleep(ms));
      r.spans.push({ name, start, end: performance.now() });
      inside--;
      return name;
    },
  };
  return r;
}

describe.skipIf(skipWithoutRedis())('the Redis subject lock, against a real redis-server', () => {
  let server: RedisServer;
  let raw: Redis;
  const open: { close: () => Promise<void> }[] = [];

  /** One replica's lock: its own connection, as another process would have. */
  function replica(times: Partial<RedisLockTimes> = {}, url = server.url) {
    const log = memoryLog();
    const redis = connectRedis(url, log);
    const lock = new RedisSubjectLock(redis, log, times);
    open.push(lock);
    return { lock, log, redis };
  }

  beforeAll(async () => {
    server = await RedisServer.start();
    raw = new Redis(server.url);
  });
  afterEach(async () => {
    for (const lock of open.splice(0)) await lock.close();
    await raw.flushall();
  });
  afterAll(async () => {
    raw?.disconnect();
    await server?.dispose();
  });

  describe('two replicas handling one subject', () => {
    it('run its tasks one at a time, and leave no key behind', async () => {
      const a = replica();
      const b = replica();
      const r = recorder();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).lock.run(KEY, r.task(`t${i}`, 15))),
      );
      expect(results).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9']);
      expect(r.most).toBe(1);
      expect(await raw.exists(REDIS_KEY)).toBe(0);
      expect([...a.log.lines, ...b.log.lines]).toEqual([]);
    });

    it('run tasks of different subjects at the same time', async () => {
      const a = replica();
      const b = replica();
      const r = recorder();
      await Promise.all([a.lock.run(KEY, r.task('a', 100)), b.lock.run('acme/widgets#8', r.task('b', 100))]);
      expect(r.most).toBe(2);
    });

    it('hold the key with a lease while the task runs, and return what the task throws', async () => {
      const a = replica();
      const seen = a.lock.run(KEY, async () => {
        const [value, ttl] = [await raw.get(REDIS_KEY), await raw.pttl(REDIS_KEY)];
        throw new Error(
          `held by a ${value?.length}-character token for ${ttl > 29_000 ? 'about 30 s' : `${ttl} ms`}`,
        );
      });
      await expect(seen).rejects.toThrow('held by a 32-character token for about 30 s');
      expect(await raw.exists(REDIS_KEY)).toBe(0);
    });
  });

  describe('a task that runs longer than the lease', () => {
    it('keeps the lease by renewing it, so the other replica waits for the end', async () => {
      const a = replica({ leaseMs: 500, renewMs: 100 });
      const b = replica({ leaseMs: 500, renewMs: 100 });
      const r = recorder();
      const first = a.lock.run(KEY, r.task('long', 1200));
      await sleep(50);
      await Promise.all([first, b.lock.run(KEY, r.task('next', 10))]);
      const [long, next] = r.spans;
      expect(r.spans.map((s) => s.name)).toEqual(['long', 'next']);
      expect(next?.start).toBeGreaterThanOrEqual(long?.end ?? Number.POSITIVE_INFINITY);
      expect([...a.log.lines, ...b.log.lines]).toEqual([]);
    });
  });

  describe('a replica that dies while it holds the lease', () => {
    it('blocks the subject only until the lease runs out', async () => {
      const dying = replica({ leaseMs: 600, renewMs: 200 });
      let unblock = () => {};
      const hung = new Promise<void>((resolve) => {
        unblock = resolve;
      });
      const r = recorder();
      const held = dying.lock.run(KEY, r.task('dying', 0, hung));
      while ((await raw.exists(REDIS_KEY)) === 0) await sleep(5);
      dying.redis.disconnect(); // the process is gone: no renewal, no release
      const crashed = performance.now();
      const b = replica({ leaseMs: 600, renewMs: 200 });
      await b.lock.run(KEY, r.task('survivor', 0));
      const waited = (r.spans.find((s) => s.name === 'survivor')?.start ?? 0) - crashed;
      expect(waited).toBeGreaterThan(300);
      expect(waited).toBeLessThan(3000);
      unblock();
      await held;
    });
  });

  describe('releasing', () => {
    it('is refused to a holder whose lease ran out: the next holder keeps its lease', async () => {
      expect(await acquireLease(raw, REDIS_KEY, 'old', 100)).toBe(true);
      expect(await acquireLease(raw, REDIS_KEY, 'new', 100)).toBe(false);
      await sleep(150);
      expect(await acquireLease(raw, REDIS_KEY, 'new', 10_000)).toBe(true);
      expect(await renewLease(raw, REDIS_KEY, 'old', 10_000)).toBe(false);
      expect(await releaseLease(raw, REDIS_KEY, 'old')).toBe(false);
      expect(await raw.get(REDIS_KEY)).toBe('new');
      expect(await renewLease(raw, REDIS_KEY, 'new', 20_000)).toBe(true);
      expect(await raw.pttl(REDIS_KEY)).toBeGreaterThan(10_000);
      expect(await releaseLease(raw, REDIS_KEY, 'new')).toBe(true);
      expect(await raw.exists(REDIS_KEY)).toBe(0);
    });

    it('by a replica that lost its lease leaves the next replica its lock, and both say what happened', async () => {
      // No renewal before the lease runs out: `slow` loses it after 200 ms, and `b` takes over.
      const slow = replica({ leaseMs: 200, renewMs: 60_000 });
      const b = replica({ leaseMs: 5000 });
      let bHolds = '';
      let release = () => {};
      const bGate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = slow.lock.run(KEY, () => sleep(500));
      await sleep(20);
      const second = b.lock.run(KEY, async () => {
        bHolds = (await raw.get(REDIS_KEY)) ?? '';
        await bGate;
      });
      await first;
      expect(await raw.get(REDIS_KEY)).toBe(bHolds);
      expect(slow.log.lines).toEqual([
        `warn: ${KEY}: the Redis lock had run out before the work ended; another replica may have handled the subject too`,
      ]);
      release();
      await second;
      expect(await raw.exists(REDIS_KEY)).toBe(0);
    });
  });

  describe('waiting', () => {
    it('gives up after the wait time and goes ahead without the lock, saying so', async () => {
      await raw.set(REDIS_KEY, 'someone else', 'PX', 10_000);
      const a = replica({ waitMs: 300 });
      const started = performance.now();
      expect(await a.lock.run(KEY, async () => 'done')).toBe('done');
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(a.log.lines).toEqual([
        `warn: ${KEY}: another replica held the Redis lock for more than 0.3 s; handled without it`,
      ]);
      expect(await raw.get(REDIS_KEY)).toBe('someone else');
    });
  });

  describe('when Redis cannot be reached', () => {
    let lonely: RedisServer;
    beforeAll(async () => {
      lonely = await RedisServer.start();
    });
    afterAll(async () => {
      await lonely?.dispose();
    });

    it('handles the subject without the lock, serialised in this replica, says so, and uses Redis again once it is back', async () => {
      const a = replica({}, lonely.url);
      await a.redis.ping();
      await lonely.stop();
      const r = recorder();
      const started = performance.now();
      expect(await Promise.all([a.lock.run(KEY, r.task('x', 20)), a.lock.run(KEY, r.task('y', 20))])).toEqual(
        ['x', 'y'],
      );
      expect(performance.now() - started).toBeLessThan(3000);
      expect(r.most).toBe(1);
      const address = `127.0.0.1:${lonely.port}`;
      expect(a.log.lines[0]).toMatch(
        new RegExp(
          `^error: Redis at ${address} cannot be used \\(.+\\): each replica serialises its own deliveries only, until Redis is back$`,
        ),
      );
      expect(a.log.lines.filter((l) => l.startsWith(`error: ${KEY}: no Redis lock (`))).toHaveLength(2);
      expect(a.log.lines.at(-1)).toMatch(/; handled without it, serialised in this replica only$/);

      await lonely.restart();
      while (a.redis.status !== 'ready') await sleep(20);
      const check = new Redis(lonely.url);
      const heldDuringWork = await a.lock.run(KEY, () => check.exists(REDIS_KEY));
      check.disconnect();
      expect(heldDuringWork).toBe(1);
      expect(a.log.lines.at(-1)).toBe(
        `info: Redis at ${address} is back: deliveries for a subject are serialised across replicas again`,
      );
    });

    it('handles the subject when Redis was never there', async () => {
      const port = lonely.port;
      await lonely.stop();
      const a = replica({}, `redis://127.0.0.1:${port}`);
      expect(await a.lock.run(KEY, async () => 'handled')).toBe('handled');
      expect(a.log.lines.some((l) => l.startsWith(`error: ${KEY}: no Redis lock (`))).toBe(true);
      await lonely.restart();
    });
  });

  describe('the lock the app builds from its configuration', () => {
    const config = { stateKey: 'k'.repeat(32), actionsWorkflow: 'f.yml', startPermission: 'write' as const };
    it('is the Redis lock with REDIS_URL, using the configured wait', async () => {
      const log = memoryLog();
      const lock = createSubjectLock(
        { ...config, outputAuthors: [], redis: { url: server.url, waitMs: 200 } },
        log,
      );
      open.push(lock);
      expect(lock).toBeInstanceOf(RedisSubjectLock);
      await raw.set(REDIS_KEY, 'someone else', 'PX', 10_000);
      await lock.run(KEY, async () => {});
      expect(log.lines).toEqual([
        `warn: ${KEY}: another replica held the Redis lock for more than 0.2 s; handled without it`,
      ]);
    });

    it('is the in-process queue without it', () => {
      expect(createSubjectLock({ ...config, outputAuthors: [] }, memoryLog())).toBeInstanceOf(SubjectQueue);
    });
  });
});
