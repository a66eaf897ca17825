// How fast the app answers webhooks, and when a stage-moving /approve's work is done, with the app run as
// `npm start` runs it (a process of its own, Probot's stock settings: retries on, throttling on, which spaces writes
// about a second apart) against the GitHub stand-in over HTTP. Each delivery is answered first and worked on after
// (docs/app.md, "How deliveries are answered"). `npm run bench`; numbers against targets, no pass/fail.

import { readExample } from '../test/support/app-harness.ts';
import { AppProcess, type Delivered } from '../test/support/app-process.ts';
import { GitHubStandIn } from '../test/support/github-stand-in.ts';
import { ProcessDeliveries, until } from '../test/support/process-deliveries.ts';
import { serveStandIn } from '../test/support/serve-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from '../test/support/state-keys.ts';

const ROUNDS = Number(process.env.BENCH_ANSWER_ROUNDS ?? 3);
/** Milliseconds the slow stand-in of the second phase takes over each request. */
const SLOW_MS = 250;
const TARGET_ANSWER_P99_MS = 1000;
const TARGET_APPROVE_P50_MS = 3000;

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const fmt = (ms: number) => `${Math.round(ms)} ms`;

interface Phase {
  answers: number[];
  approveDone: number[];
}

async function phase(delayMs: number, rounds: number, burst: number): Promise<Phase> {
  const github = new GitHubStandIn('acme', 'widgets');
  github.repoId = REPO_ID;
  github.files.set('.github/flowgate/feature.yml', readExample('plan-implement-review-revise.yml'));
  github.permissions.set('bob', 'maintain');
  github.permissions.set('carol', 'write');
  const requests: { line: string; at: number }[] = [];
  const served = await serveStandIn(
    github,
    (method, path) => requests.push({ line: `${method} ${path}`, at: performance.now() }),
    '/api/v3',
    delayMs,
  );
  const app = await AppProcess.start({
    github: served.url,
    stateKey: STATE_PRIVATE_KEY,
    env: { FLOWGATE_CATCH_UP_MINUTES: '0' },
  });
  const d = new ProcessDeliveries(github);
  const result: Phase = { answers: [], approveDone: [] };
  const answered = (delivered: Delivered) => {
    if (delivered.status !== 200) throw new Error(`answered ${delivered.status}:\n${app.output}`);
    result.answers.push(delivered.ms);
  };
  // The work of earlier deliveries is done when the app sent no request for 1.5 s (writes are spaced 1 s apart).
  const quiet = () =>
    until(
      () => performance.now() - (requests.at(-1)?.at ?? 0) > 1500,
      120_000,
      () => app.output,
    );
  try {
    for (let round = 0; round < rounds; round++) {
      const n = 10 + round;
      github.issues.set(n, {
        title: `Feature ${n}`,
        author: 'alice',
        labels: [],
        state: 'open',
        pull: false,
      });
      const dispatched = github.dispatches.length;
      answered(await d.label(app, n, 'bob', 'flowgate:feature'));
      await until(
        () => github.dispatches.length > dispatched,
        120_000,
        () => app.output,
      );
      await quiet();
      answered(await d.answerLastDispatch(app, n));
      await until(
        () => d.state(n)?.wait?.for === 'approval',
        120_000,
        () => app.output,
      );
      await quiet();
      const status = await d.comment(app, n, 'carol', '/status');
      answered(status);
      // The app answers before it works: wait for the reply, so the /status's writes are not counted as /approve's.
      await until(
        () => github.comments.some((c) => c.body.includes(`<!-- flowgate:reply ${status.commentId} -->`)),
        120_000,
        () => app.output,
      );
      await quiet();
      const before = requests.length;
      const sent = performance.now();
      answered(await d.comment(app, n, 'bob', '/approve'));
      await until(
        () => d.state(n)?.stage === 'implement',
        120_000,
        () => app.output,
      );
      await quiet();
      const writes = requests
        .slice(before)
        .filter((r) => !r.line.startsWith('GET') && !r.line.includes('/access_tokens'));
      result.approveDone.push((writes.at(-1)?.at ?? sent) - sent);
      if (process.env.BENCH_ANSWER_TRACE === '1') {
        for (const r of requests.slice(before)) console.log(`${Math.round(r.at - sent)} ms  ${r.line}`);
      }
    }
    // A burst: a /status on every issue at once, while the earlier ones' work is still under way.
    const issues = [...Array(rounds).keys()].map((round) => 10 + round);
    const burstAnswers = await Promise.all(
      [...Array(burst).keys()].map((i) =>
        d.comment(app, issues[i % issues.length] ?? 10, 'carol', '/status'),
      ),
    );
    for (const delivered of burstAnswers) answered(delivered);
    await quiet();
  } finally {
    await app.stop();
    await served.close();
  }
  return result;
}

const fast = await phase(0, ROUNDS, 20);
const slow = await phase(SLOW_MS, Math.max(2, Math.round(ROUNDS / 2)), 10);

const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log(
  `\nanswer first: npm start (throttling on) against the stand-in over HTTP; ${ROUNDS} runs (label, output, /status, /approve) and a burst of 20 /status`,
);
for (const [name, p] of [
  ['stand-in answering at once', fast],
  [`stand-in taking ${SLOW_MS} ms a request`, slow],
] as const) {
  const p99 = percentile(p.answers, 99);
  console.log(
    `${name}: webhook answer p50 ${fmt(percentile(p.answers, 50))}, p99 ${fmt(p99)} over ${p.answers.length} deliveries (target p99 <= ${fmt(TARGET_ANSWER_P99_MS)}, ${met(p99 <= TARGET_ANSWER_P99_MS)})`,
  );
  const done = percentile(p.approveDone, 50);
  console.log(
    `  stage-moving /approve, sent to its last write: p50 ${fmt(done)}, max ${fmt(Math.max(...p.approveDone))} over ${p.approveDone.length}${p === fast ? ` (target p50 <= ${fmt(TARGET_APPROVE_P50_MS)}, ${met(done <= TARGET_APPROVE_P50_MS)}; its 3 writes (4 the first time in a repository: the new stage's label is created) go out at least 1 s apart, so the last is 2 s or more after the 👀)` : ' (no target: a slow GitHub)'}`,
  );
}
