// The app's memory under a long stream of deliveries: 500 subjects, each with a run, then /status commands round
// and round them. The heap (after a full GC) after 1,000 deliveries and after 10,000 should be within 1.2x: every
// cache the app keeps has a bound. The GitHub stand-in runs in a process of its own, so its growth is not counted.
// `npm run bench` (node --expose-gc); BENCH_DELIVERIES and BENCH_SUBJECTS change the sizes.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchApp, DRAFT_WORKFLOW, REPOSITORY } from './support/bench-app.ts';

const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 500);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const workflow = join(tmpdir(), `flowgate-memory-bench-${process.pid}.yml`);
writeFileSync(workflow, DRAFT_WORKFLOW);
const child = spawn(process.execPath, ['bench/support/stand-in-server.ts', String(SUBJECTS), workflow], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
process.on('exit', () => child.kill());
const [first] = (await once(child.stdout, 'data')) as [Buffer];
const baseUrl = first.toString().trim();

const probot = benchApp(baseUrl);

const issue = (n: number) => ({
  number: n,
  title: `Issue ${n}`,
  state: 'open',
  user: { login: 'alice' },
  labels: [],
});
let delivery = 0;

async function label(n: number) {
  await probot.receive({
    id: `d${++delivery}`,
    name: 'issues',
    payload: {
      action: 'labeled',
      repository: REPOSITORY,
      issue: issue(n),
      label: { name: 'flowgate:draft' },
      installation: { id: 1 },
      sender: { login: 'bob', type: 'User' },
    } as never,
  });
}

async function status(n: number) {
  const response = await fetch(`${baseUrl}/repos/acme/widgets/issues/${n}/comments`, {
    method: 'POST',
    headers: { authorization: 'token bob-token', 'content-type': 'application/json' },
    body: JSON.stringify({ body: '/status' }),
  });
  const comment = (await response.json()) as { id: number };
  await probot.receive({
    id: `d${++delivery}`,
    name: 'issue_comment',
    payload: {
      action: 'created',
      repository: REPOSITORY,
      // As GitHub sends it: the issue with the label the run put on it.
      issue: { ...issue(n), labels: [{ name: 'flowgate: draft' }] },
      installation: { id: 1 },
      sender: { login: 'bob', type: 'User' },
      comment: { id: comment.id, body: '/status', user: { login: 'bob', type: 'User' } },
    } as never,
  });
}

const heap = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const started = performance.now();
for (let n = 1; n <= SUBJECTS; n++) await label(n);
let at1000 = 0;
for (let i = 0; delivery < DELIVERIES; i++) {
  await status((i % SUBJECTS) + 1);
  if (delivery === Math.min(1000, DELIVERIES)) at1000 = heap();
}
const atEnd = heap();
// The deliveries did their work: each /status on subject 1 got its reply.
const onFirst = (await (
  await fetch(`${baseUrl}/repos/acme/widgets/issues/1/comments?per_page=100`)
).json()) as {
  body: string;
}[];
if (!onFirst.some((c) => c.body.startsWith('`draft` is running stage')))
  throw new Error(
    `the /status commands got no reply: ${JSON.stringify(onFirst.map((c) => c.body.slice(0, 70)))}`,
  );
const seconds = (performance.now() - started) / 1000;
const ratio = atEnd / at1000;
console.log(
  `\nmemory: ${DELIVERIES} deliveries over ${SUBJECTS} subjects in ${seconds.toFixed(0)} s: heap ${at1000.toFixed(1)} MiB after 1,000, ${atEnd.toFixed(1)} MiB after ${DELIVERIES.toLocaleString('en')}: ${ratio.toFixed(2)}x (target <= 1.2x, ${ratio <= 1.2 ? 'met' : 'NOT met'})`,
);
child.kill();
