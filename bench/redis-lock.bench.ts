// What the Redis subject lock costs per event, against a real redis-server on 127.0.0.1 (started here, stopped
// after): lock.run around an empty task, next to the in-process queue alone, then two replicas taking turns on one
// subject. `npm run bench`; numbers only, no pass/fail. Without redis-server it says so and stops.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis } from '../src/app/redis-lease.ts';
import { RedisSubjectLock } from '../src/app/redis-subject-lock.ts';
import type { SubjectLock } from '../src/app/subject-lock.ts';
import { SubjectQueue } from '../src/app/subject-queue.ts';
import { RedisServer, redisServerMissing } from '../test/support/redis-server.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500);

const missing = redisServerMissing();
if (missing !== undefined) {
  console.log(`\nredis lock: not measured. ${missing}`);
  process.exit(0);
}

const server = await RedisServer.start();
const log = { info: () => {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
const a = new RedisSubjectLock(connectRedis(server.url, log), log);
const b = new RedisSubjectLock(connectRedis(server.url, log), log);
const queue = new SubjectQueue();

const pct = (list: number[], p: number) =>
  [...list].sort((x, y) => x - y)[Math.min(list.length - 1, Math.floor((p / 100) * list.length))] ?? 0;
const ms = (n: number) => `${n.toFixed(3)} ms`;

/** Per event: the time from asking for the lock to having released it, around a task that does nothing. */
async function sequential(lock: SubjectLock, subjects: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const t0 = performance.now();
    await lock.run(`acme/widgets#${i % subjects}`, async () => {});
    times.push(performance.now() - t0);
  }
  return times;
}

await sequential(a, 1); // warm-up: connection ready, Lua script compiled
const inProcess = await sequential(queue, 1);
const oneSubject = await sequential(a, 1);
const manySubjects = await sequential(a, EVENTS);
console.log(`\nredis lock: ${EVENTS} events each, redis-server ${server.url} on this machine`);
for (const [name, times] of [
  ['in-process queue only', inProcess],
  ['Redis lock, one subject', oneSubject],
  ['Redis lock, a new subject each', manySubjects],
] as const) {
  console.log(
    `${name.padEnd(31)} p50 ${ms(pct(times, 50))}  p99 ${ms(pct(times, 99))}  mean ${ms(times.reduce((s, t) => s + t, 0) / times.length)}`,
  );
}
console.log(
  `acquire + release overhead per event (p50, Redis lock minus queue): ${ms(pct(oneSubject, 50) - pct(inProcess, 50))}` +
    ' = 2 round trips (SET NX PX, then EVAL compare-and-delete)',
);

// Two replicas, all events for one subject, each task 2 ms of work: how long the handover takes.
let inside = 0;
let most = 0;
const work = async () => {
  inside++;
  most = Math.max(most, inside);
  await sleep(2);
  inside--;
};
const t0 = performance.now();
await Promise.all(
  Array.from({ length: EVENTS }, (_, i) => (i % 2 === 0 ? a : b).run('acme/widgets#1', work)),
);
const seconds = (performance.now() - t0) / 1000;
console.log(
  `two replicas, ${EVENTS} events on one subject, 2 ms of work each: ${(EVENTS / seconds).toFixed(0)} events/s ` +
    `(${ms((seconds * 1000) / EVENTS)} per event, of which 2+ ms work), at most ${most} at once`,
);

await a.close();
await b.close();
await server.dispose();
