import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, readAppConfig } from '../../src/app/app-config.ts';
import { isFlowgateLabel } from '../../src/app/catch-up.ts';
import { connectRedis } from '../../src/app/redis-lease.ts';
import { RedisTimers, TIMERS_KEY, timerMember } from '../../src/app/redis-timers.ts';
import { SubjectQueue } from '../../src/app/subject-queue.ts';
import { type AppTimers, LocalTimers } from '../../src/app/timers.ts';
import { AppHarness, type Payload, readExample } from '../support/app-harness.ts';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from '../support/state-keys.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');
const PEOPLE = { alice: 'read', bob: 'maintain' };
const byBob = (p: Payload) => {
  p.label = { name: 'flowgate:feature' };
  p.sender.login = 'bob';
  p.sender.type = 'User';
};
/** The plan stage's attempt times out 120 minutes after its dispatch (the example's `limits.timeout_minutes`). */
const PAST_THE_DEADLINE = 121;
const ANNOUNCE = `version: 1
name: announce
on: { labels: [flowgate:announce] }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5 }
stages:
  - id: plan
    provider: writer
    instructions: Write a plan.
    gate: { approver: manual }
    next: done
  - id: done
    type: terminal
    archive: { after_days: 7, lock: true }
`;
const SEVEN_DAYS = 7 * 24 * 60;

/** A run of `announce` on #3 that completed at once after its plan was approved: its archive is due in 7 days. */
async function completedRun(timers: (clock: () => number) => AppTimers): Promise<AppHarness> {
  let harness: AppHarness | undefined;
  const h = new AppHarness(
    { '.github/flowgate/announce.yml': ANNOUNCE },
    { bob: 'write' },
    {
      timers: timers(() => harness?.clock() ?? 0),
    },
  );
  harness = h;
  h.github.repoId = REPO_ID;
  h.newIssue(3, 'alice');
  await h.deliver('issues', 'labeled', 3, (p) => {
    p.label = { name: 'flowgate:announce' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  await h.answerLastDispatch(3, {}, 'Step 1: ship it.');
  await h.comment(3, 'bob', '/approve');
  expect(h.state(3)).toMatchObject({ status: 'completed', stage: 'done' });
  return h;
}
const archived = (h: AppHarness) => h.replies(3).filter((r) => r.includes('completed 7 days ago'));

const lines: string[] = [];
const log = {
  info: (m: string) => lines.push(m),
  warn: (m: string) => lines.push(m),
  error: (m: string) => lines.push(m),
};
const made: AppTimers[] = [];
const keep = <T extends AppTimers>(timers: T): T => {
  made.push(timers);
  return timers;
};

/** The app's first instance, with `timers`, at plan's dispatch: the run waits for the Action until its deadline. */
async function planDispatched(timers: (clock: () => number) => AppTimers): Promise<AppHarness> {
  let harness: AppHarness | undefined;
  // The timers start as the app loads, before the harness exists: nothing is due at time 0.
  const a = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, PEOPLE, {
    timers: timers(() => harness?.clock() ?? 0),
  });
  harness = a;
  a.github.repoId = REPO_ID;
  a.newIssue(7, 'alice');
  await a.deliver('issues', 'labeled', 7, byBob);
  expect(a.state(7)).toMatchObject({ stage: 'plan', status: 'running', wait: { for: 'action' } });
  return a;
}

const timedOut = (h: AppHarness) =>
  h.state(7).history.filter((entry) => entry.what === 'failed' && /timed out/.test(entry.reason ?? ''));
const writes = (h: AppHarness, from: number) => h.github.log.slice(from).filter((l) => !l.startsWith('GET '));

afterEach(async () => {
  for (const timers of made.splice(0)) await timers.close();
  lines.length = 0;
});

describe.skipIf(skipWithoutRedis())('timers in Redis (REDIS_URL)', () => {
  let server: RedisServer;
  let redis: Redis;
  const redisTimers = (clock: () => number) =>
    keep(new RedisTimers(connectRedis(server.url, log), log, { clock }));

  beforeAll(async () => {
    server = await RedisServer.start();
    redis = connectRedis(server.url, log);
  });
  beforeEach(async () => {
    await redis.del(TIMERS_KEY);
  });
  afterAll(async () => {
    await redis?.quit();
    await server?.dispose();
  });

  it('keep a deadline across a restart: a new app on the same Redis fires it once, at start when it is due', async () => {
    const first = redisTimers(() => 0);
    const a = await planDispatched(() => first);
    const deadline =
      a.state(7).wait?.for === 'action' ? (a.state(7).wait as { deadline: string }).deadline : '';
    expect(await redis.zrange(TIMERS_KEY, 0, -1, 'WITHSCORES')).toEqual([
      timerMember({
        installation: 42,
        owner: 'acme',
        repo: 'widgets',
        repoId: REPO_ID,
        defaultBranch: 'main',
        number: 7,
        at: deadline,
      }),
      String(Date.parse(deadline)),
    ]);
    // The app stops; while it is down the deadline passes; another instance starts on the same Redis.
    await first.close();
    a.tick(PAST_THE_DEADLINE);
    const second = redisTimers(() => a.clock());
    const b = a.replica(new SubjectQueue(), second);
    expect(await second.poll()).toBe(1); // the poll at start
    expect(b.state(7)).toMatchObject({ stage: 'plan', status: 'failed' });
    expect(timedOut(b)).toHaveLength(1);
    expect(await redis.zcard(TIMERS_KEY)).toBe(0);
    const before = b.github.log.length;
    expect(await second.poll()).toBe(0);
    expect(b.github.log.length).toBe(before);
    expect(lines).toEqual([]);
  });

  it('find the runs again after Redis restarted empty: one replica takes the catch-up lease and scans', async () => {
    const first = redisTimers(() => 0);
    const a = await planDispatched(() => first);
    await first.close();
    // Redis comes back without its data: the deadline it kept is gone.
    await redis.flushall();
    a.tick(PAST_THE_DEADLINE);
    const clock = () => a.clock();
    const one = keep(new RedisTimers(connectRedis(server.url, log), log, { clock, catchUpMinutes: 60 }));
    const two = keep(new RedisTimers(connectRedis(server.url, log), log, { clock, catchUpMinutes: 60 }));
    const b = a.replica(new SubjectQueue(), one);
    const c = b.replica(new SubjectQueue(), two);
    // Both replicas try at start; the lease lets one scan.
    for (let i = 0; i < 100 && c.state(7).status !== 'failed'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(c.state(7)).toMatchObject({ stage: 'plan', status: 'failed' });
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.filter((l) => l.startsWith('timers: catch-up scan of'))).toHaveLength(1);
    expect(await Promise.all([one.catchUpIfLeased(), two.catchUpIfLeased()])).toEqual([false, false]);
    expect(timedOut(c)).toHaveLength(1);
    expect(await redis.pttl('flowgate:catch-up')).toBeGreaterThan(0);
  });

  it('do not fire a timer before it is due', async () => {
    let replica: RedisTimers | undefined;
    const a = await planDispatched((clock) => {
      replica = redisTimers(clock);
      return replica;
    });
    a.tick(PAST_THE_DEADLINE - 3); // two minutes before the deadline
    expect(await replica?.poll()).toBe(0);
    expect(a.state(7)).toMatchObject({ status: 'running' });
    expect(await redis.zcard(TIMERS_KEY)).toBe(1);
    a.tick(3);
    expect(await replica?.poll()).toBe(1);
    expect(a.state(7)).toMatchObject({ status: 'failed' });
  });

  it('fire a timer once when two replicas on one Redis poll at the same time', async () => {
    let replica: RedisTimers | undefined;
    const a = await planDispatched((clock) => {
      replica = redisTimers(clock);
      return replica;
    });
    const other = redisTimers(() => a.clock());
    const b = a.replica(new SubjectQueue(), other);
    await other.poll(); // its poll at start: nothing is due yet
    a.tick(PAST_THE_DEADLINE);
    const before = a.github.log.length;
    const fired = await Promise.all([replica?.poll(), other.poll()]);
    expect(fired.reduce((sum: number, n) => sum + (n ?? 0), 0)).toBe(1);
    expect(await Promise.all([replica?.poll(), other.poll()])).toEqual([0, 0]);
    expect(timedOut(b)).toHaveLength(1);
    // One reconcile wrote the failure, once: one update of the status comment.
    const status = b.github.botComments(7)[0]?.id;
    expect(writes(b, before).filter((l) => !l.endsWith('/access_tokens'))).toEqual([
      `PATCH /repos/acme/widgets/issues/comments/${status}`,
    ]);
    expect(await redis.zcard(TIMERS_KEY)).toBe(0);
  });

  it('keep one timer when two replicas set the same due time', async () => {
    const a = redisTimers(() => 0);
    const b = redisTimers(() => 0);
    const entry = {
      installation: 42,
      owner: 'acme',
      repo: 'widgets',
      defaultBranch: 'main',
      number: 7,
      at: '2026-01-05T11:00:00.000Z',
    };
    const firing = {
      fire: async () => {},
      catchUp: async () => ({ installations: 0, repositories: 0, subjects: 0, requests: 0 }),
    };
    a.start(firing);
    b.start(firing);
    a.schedule(entry);
    b.schedule({ ...entry });
    // Each replica's next poll is sent after its ZADD, on the same connection: both have been applied.
    expect(await a.poll()).toBe(0);
    expect(await b.poll()).toBe(0);
    expect(await redis.zrange(TIMERS_KEY, 0, -1)).toEqual([timerMember(entry)]);
  });

  it("keep an archive's days across a restart: the subject is closed once they have passed", async () => {
    const first = redisTimers(() => 0);
    const h = await completedRun(() => first);
    // The plan's deadline, set as it was dispatched, is still there: it fires too, and changes nothing.
    const scores = (await redis.zrange(TIMERS_KEY, 0, -1, 'WITHSCORES')).filter((_, i) => i % 2 === 1);
    expect(scores.map(Number).at(-1)).toBe(Date.parse(h.state(3).completed_at ?? '') + SEVEN_DAYS * 60_000);
    expect(scores).toHaveLength(2);
    await first.close();
    h.tick(SEVEN_DAYS);
    const second = redisTimers(() => h.clock());
    h.replica(new SubjectQueue(), second);
    expect(await second.poll()).toBe(2);
    expect(h.github.issues.get(3)).toMatchObject({ state: 'closed', locked: true });
    expect(archived(h)).toHaveLength(1);
    expect(await redis.zcard(TIMERS_KEY)).toBe(0);
  });

  it('keep a timer in memory when Redis cannot be reached, and say so', async () => {
    const away = await RedisServer.start();
    const timers = keep(new RedisTimers(connectRedis(away.url, log), log, { clock: () => 0 }));
    timers.start({
      fire: async () => {},
      catchUp: async () => ({ installations: 0, repositories: 0, subjects: 0, requests: 0 }),
    });
    expect(await timers.poll()).toBe(0);
    await away.dispose();
    timers.schedule({
      installation: 42,
      owner: 'acme',
      repo: 'widgets',
      defaultBranch: 'main',
      number: 7,
      at: '2026-01-05T11:00:00.000Z',
    });
    expect(await timers.poll()).toBe(0);
    await vi.waitFor(() => expect(timers.pendingInMemory).toBe(1), { timeout: 10_000 });
    expect(lines.some((l) => l.startsWith('timers: cannot read the due timers from Redis ('))).toBe(true);
    expect(
      lines.some((l) =>
        /acme\/widgets#7: the timer for 2026-01-05T11:00:00.000Z could not be kept in Redis \(.+\); this replica keeps it in memory/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  it('change nothing when a timer fires a second time (a replica died before removing it)', async () => {
    let replica: RedisTimers | undefined;
    const a = await planDispatched((clock) => {
      replica = redisTimers(clock);
      return replica;
    });
    const [member, score] = await redis.zrange(TIMERS_KEY, 0, -1, 'WITHSCORES');
    a.tick(PAST_THE_DEADLINE);
    expect(await replica?.poll()).toBe(1);
    const state = a.state(7);
    const comments = structuredClone(a.github.comments);
    const before = a.github.log.length;
    await redis.zadd(TIMERS_KEY, Number(score), member ?? '');
    expect(await replica?.poll()).toBe(1);
    expect(a.github.log.length).toBeGreaterThan(before); // it did look
    expect(writes(a, before)).toEqual([]);
    expect(a.github.comments).toEqual(comments);
    expect(a.state(7)).toEqual(state);
    expect(timedOut(a)).toHaveLength(1);
  });
});

describe('timers without Redis: the catch-up scan', () => {
  const localTimers = (clock: () => number) => keep(new LocalTimers({ catchUpMinutes: 60, clock }, log));

  it('finds, after a restart, the run whose deadline passed, and fires its timer; other open issues are left alone', async () => {
    let first: LocalTimers | undefined;
    const a = await planDispatched((clock) => {
      first = localTimers(clock);
      return first;
    });
    expect(first?.pending).toBe(1);
    a.github.issues.set(8, {
      title: 'Unrelated',
      author: 'alice',
      labels: ['bug'],
      state: 'open',
      pull: false,
    });
    a.github.issues.set(9, { title: 'Untouched', author: 'alice', labels: [], state: 'open', pull: true });
    // The app stops with the timer in its memory; the deadline passes while it is down.
    await first?.close();
    expect(first?.pending).toBe(0);
    a.tick(PAST_THE_DEADLINE);
    const second = localTimers(() => a.clock());
    const before = a.github.log.length;
    const b = a.replica(new SubjectQueue(), second);
    const report = await second.catchUpNow(); // the scan at start
    // The open items, then the repository's comments and issue events of the last hour (for a /flowgate start or a
    // trigger label a crash cut off).
    expect(report).toEqual({ installations: 1, repositories: 1, subjects: 1, requests: 5 });
    expect(b.state(7)).toMatchObject({ stage: 'plan', status: 'failed' });
    expect(timedOut(b)).toHaveLength(1);
    const scan = b.github.log.slice(before);
    expect(scan.slice(0, 6)).toEqual([
      'GET /app/installations',
      'POST /app/installations/42/access_tokens',
      'GET /installation/repositories',
      'GET /repos/acme/widgets/issues',
      'GET /repos/acme/widgets/issues/comments',
      'GET /repos/acme/widgets/issues/events',
    ]);
    expect(scan.some((l) => /\/issues\/(8|9)\b/.test(l))).toBe(false);
    expect(lines.filter((l) => !l.startsWith('timers: catch-up scan of 1 installation'))).toEqual([]);
  });

  it('change nothing at a scan that finds no timer due, and nothing when it finds the same one again', async () => {
    let first: LocalTimers | undefined;
    const a = await planDispatched((clock) => {
      first = localTimers(clock);
      return first;
    });
    const state = a.state(7);
    let before = a.github.log.length;
    expect((await first?.catchUpNow())?.subjects).toBe(1);
    expect(writes(a, before)).toEqual([]);
    expect(a.state(7)).toEqual(state);
    a.tick(PAST_THE_DEADLINE);
    await first?.catchUpNow();
    expect(timedOut(a)).toHaveLength(1);
    const failed = a.state(7);
    before = a.github.log.length;
    await first?.catchUpNow();
    expect(writes(a, before)).toEqual([]);
    expect(a.state(7)).toEqual(failed);
  });

  it("finds a completed run by its stage's label and closes its subject once the archive's days have passed", async () => {
    let first: LocalTimers | undefined;
    const h = await completedRun((clock) => {
      first = localTimers(clock);
      return first;
    });
    expect(h.github.issues.get(3)?.labels).toContain('flowgate: done');
    await first?.close();
    h.tick(SEVEN_DAYS);
    const second = localTimers(() => h.clock());
    h.replica(new SubjectQueue(), second);
    expect((await second.catchUpNow()).subjects).toBe(1);
    expect(h.github.issues.get(3)).toMatchObject({ state: 'closed', locked: true });
    expect(archived(h)).toHaveLength(1);
  });

  it('fire a timer kept in memory when its time comes', async () => {
    // setTimeout on a fake clock that also runs with real time, so that requests and their timeouts go on as usual.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    try {
      let timers: LocalTimers | undefined;
      const a = await planDispatched((clock) => {
        timers = keep(new LocalTimers({ catchUpMinutes: 0, clock }, log));
        return timers;
      });
      expect(timers?.pending).toBe(1);
      a.tick(PAST_THE_DEADLINE);
      await vi.advanceTimersByTimeAsync(PAST_THE_DEADLINE * 60_000);
      expect(timers?.pending).toBe(0);
      await vi.waitFor(() => expect(timedOut(a)).toHaveLength(1), { timeout: 10_000 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('knows flowgate labels by the description flowgate gives them, or by the default prefix', () => {
    expect(
      isFlowgateLabel({ name: 'Planning', description: 'flowgate: the feature run is at this stage' }),
    ).toBe(true);
    expect(isFlowgateLabel({ name: 'flowgate: plan', description: null })).toBe(true);
    expect(isFlowgateLabel({ name: 'flowgate:feature', description: null })).toBe(false);
    expect(isFlowgateLabel({ name: 'bug', description: 'Something is broken' })).toBe(false);
  });
});

describe('FLOWGATE_CATCH_UP_MINUTES', () => {
  const env = (value?: string) => ({
    FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY,
    ...(value === undefined ? {} : { FLOWGATE_CATCH_UP_MINUTES: value }),
  });

  it('is read as whole minutes, 0 turning the scan off; unset leaves the default', () => {
    expect(readAppConfig(env()).catchUpMinutes).toBeUndefined();
    expect(readAppConfig(env('0')).catchUpMinutes).toBe(0);
    expect(readAppConfig(env(' 30 ')).catchUpMinutes).toBe(30);
  });

  it('refuses what is not a whole number of minutes from 0 to 1440', () => {
    for (const bad of ['-1', '2.5', 'often', '1441']) {
      expect(() => readAppConfig(env(bad))).toThrow(ConfigError);
      expect(() => readAppConfig(env(bad))).toThrow(/FLOWGATE_CATCH_UP_MINUTES must be a whole number/);
    }
  });
});
