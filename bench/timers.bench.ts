// The app's timers. With Redis (a real redis-server on 127.0.0.1, started here, stopped after): how many due
// timers two replicas fire per second from the sorted set, each exactly once (the firing itself does nothing
// here: a real one is a reconcile, whose REST calls cost far more). Without Redis: what one catch-up scan costs
// in REST calls for an installation with 100 open runs (and 50 open issues without one), against the GitHub
// stand-in on a local port. Numbers only, no pass/fail. Without redis-server the first part says so.

import { performance } from 'node:perf_hooks';
import type { Probot } from 'probot';
import { connectRedis } from '../src/app/redis-lease.ts';
import { RedisTimers } from '../src/app/redis-timers.ts';
import { SubjectQueue } from '../src/app/subject-queue.ts';
import { LocalTimers, type TimerEntry } from '../src/app/timers.ts';
import { GitHubStandIn } from '../test/support/github-stand-in.ts';
import { RedisServer, redisServerMissing } from '../test/support/redis-server.ts';
import { serveStandIn } from '../test/support/serve-stand-in.ts';
import { REPO_ID } from '../test/support/state-keys.ts';
import { benchApp, DRAFT_WORKFLOW } from './support/bench-app.ts';

const TIMERS = Number(process.env.BENCH_TIMERS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const OTHERS = Math.round(RUNS / 2);
const quiet = {
  info: () => {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

// 1. Redis: TIMERS due timers, two replicas polling the one sorted set.
const missing = redisServerMissing();
if (missing !== undefined) {
  console.log(`\ntimers in Redis: not measured. ${missing}`);
} else {
  const server = await RedisServer.start();
  const fired = new Map<string, number>();
  const firing = {
    fire: async (entry: TimerEntry) => {
      fired.set(`${entry.number}@${entry.at}`, (fired.get(`${entry.number}@${entry.at}`) ?? 0) + 1);
    },
    catchUp: async () => ({ installations: 0, repositories: 0, subjects: 0, requests: 0 }),
  };
  const a = new RedisTimers(connectRedis(server.url, quiet), quiet);
  const b = new RedisTimers(connectRedis(server.url, quiet), quiet);
  a.start(firing);
  b.start(firing);
  await Promise.all([a.poll(), b.poll()]);
  const due = new Date(Date.now() - 60_000).toISOString();
  const t0 = performance.now();
  for (let i = 0; i < TIMERS; i++) {
    a.schedule({
      installation: 1,
      owner: 'acme',
      repo: 'widgets',
      defaultBranch: 'main',
      number: i + 1,
      at: due,
    });
  }
  await a.poll(); // after the ZADDs on its connection
  const scheduled = performance.now();
  while ([...fired.values()].reduce((s, n) => s + n, 0) < TIMERS) await Promise.all([a.poll(), b.poll()]);
  const done = performance.now();
  const twice = [...fired.values()].filter((n) => n > 1).length;
  console.log(
    `\ntimers in Redis: ${TIMERS} due timers set in ${(scheduled - t0).toFixed(0)} ms ` +
      `(${((TIMERS / (scheduled - t0)) * 1000).toFixed(0)} ZADD/s, with the poll that follows), ` +
      `fired by two replicas in ${(done - scheduled).toFixed(0)} ms = ${((TIMERS / (done - scheduled)) * 1000).toFixed(0)} timers/s ` +
      `(a claim of up to 100 per poll, one compare-and-remove per timer); fired twice: ${twice}`,
  );
  await a.close();
  await b.close();
  await server.dispose();
}

// 2. Without Redis: the catch-up scan of one installation with RUNS open runs.

// The runs started a day ago (their deadlines, 120 minutes after each dispatch, are behind the real clock); the
// app's clock is moved past them for the scan that finds them due.
let clock = Date.now() - 24 * 60 * 60_000;
const now = () => new Date(clock).toISOString();
const github = new GitHubStandIn('acme', 'widgets', now);
github.repoId = REPO_ID;
github.files.set('.github/flowgate/draft.yml', DRAFT_WORKFLOW);
github.permissions.set('bob', 'maintain');
for (let n = 1; n <= RUNS + OTHERS; n++) {
  github.issues.set(n, { title: `Item ${n}`, author: 'alice', labels: [], state: 'open', pull: false });
}
const { url: baseUrl, server } = await serveStandIn(github);

/** An app instance (its own caches, as after a restart), with in-memory timers and no scan of its own. */
function app(timers: LocalTimers | false): Probot {
  let nonce = 0;
  return benchApp(baseUrl, { now, nonce: () => `n${++nonce}`, timers, lock: new SubjectQueue() });
}

const starter = app(false);
for (let n = 1; n <= RUNS; n++) {
  clock += 1000;
  await starter.receive({
    id: `start-${n}`,
    name: 'issues',
    payload: {
      action: 'labeled',
      repository: {
        id: REPO_ID,
        name: 'widgets',
        full_name: 'acme/widgets',
        owner: { login: 'acme' },
        default_branch: 'main',
      },
      issue: { number: n, title: `Item ${n}`, state: 'open', user: { login: 'alice' }, labels: [] },
      label: { name: 'flowgate:draft' },
      installation: { id: github.installationId },
      sender: { login: 'bob', type: 'User' },
    } as never,
  });
}

const timers = new LocalTimers({ catchUpMinutes: 0 }, quiet);
app(timers);
const scan = async (what: string) => {
  const before = github.log.length;
  const t0 = performance.now();
  const report = await timers.catchUpNow();
  const ms = performance.now() - t0;
  const calls = github.log.slice(before);
  const writes = calls.filter((l) => !l.startsWith('GET ') && !l.endsWith('/access_tokens'));
  const tokens = calls.filter((l) => l.endsWith('/access_tokens')).length;
  const reconciles = calls.length - report.requests - tokens;
  console.log(
    `${what.padEnd(44)} ${String(calls.length).padStart(4)} REST calls: ${report.requests} to find the ${report.subjects} runs` +
      ` (${tokens} installation token), ${reconciles} in their reconciles (${(reconciles / Math.max(1, report.subjects)).toFixed(2)} a run,` +
      ` ${writes.length} writes); ${ms.toFixed(0)} ms`,
  );
};
console.log(
  `\ncatch-up scan without Redis: 1 installation, 1 repository, ${RUNS} open runs and ${OTHERS} open issues without one`,
);
await scan('first scan after a restart, nothing due');
await scan('next scan, nothing due');
clock += 3 * 60 * 60_000;
await scan('scan with every deadline passed');
await scan('next scan, the same deadlines (replays)');
const failed = github.comments.filter((c) => c.body.includes('timed out')).length;
console.log(`status comments that record the time-out: ${failed} of ${RUNS}`);
await timers.close();
server.close();
