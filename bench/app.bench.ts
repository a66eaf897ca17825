// The GitHub App under a stream of events, against a local stand-in for GitHub's REST API on 127.0.0.1:
// handling time per event, events per second, REST calls per event, and the status comment's size.
// `npm run bench`; numbers only, no pass/fail.

import { performance } from 'node:perf_hooks';
import { formatActionOutput } from '../src/core/action-output.ts';
import { GitHubStandIn } from '../test/support/github-stand-in.ts';
import { serveStandIn } from '../test/support/serve-stand-in.ts';
import { benchApp, DRAFT_WORKFLOW, REPOSITORY } from './support/bench-app.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 500);

// GitHub's clock in the stand-in moves 30 s per comment or edit: a long run's events are minutes apart, not
// milliseconds, which is what the app's incremental comment listing (comments since the last listing) relies on.
let tick = Date.now();
const github = new GitHubStandIn('acme', 'widgets', () => {
  tick += 30_000;
  return new Date(tick).toISOString();
});
github.files.set('.github/flowgate/draft.yml', DRAFT_WORKFLOW);
github.permissions.set('bob', 'maintain');
github.issues.set(1, { title: 'A long run', author: 'alice', labels: [], state: 'open', pull: false });

const { url: baseUrl, server } = await serveStandIn(github);

let nonce = 0;
const probot = benchApp(baseUrl, { nonce: () => `n${++nonce}` });

const issue = { number: 1, title: 'A long run', state: 'open', user: { login: 'alice' }, labels: [] };
let delivery = 0;
async function comment(login: string, type: 'User' | 'Bot', body: string) {
  const stored = github.addComment(1, login, body, type);
  await probot.receive({
    id: `d${++delivery}`,
    name: 'issue_comment',
    payload: {
      action: 'created',
      repository: REPOSITORY,
      issue,
      installation: { id: 1 },
      sender: { login, type },
      comment: { id: stored.id, body, user: { login, type } },
    } as never,
  });
}

await probot.receive({
  id: 'start',
  name: 'issues',
  payload: {
    action: 'labeled',
    repository: REPOSITORY,
    issue,
    label: { name: 'flowgate:draft' },
    installation: { id: 1 },
    sender: { login: 'bob', type: 'User' },
  } as never,
});

const times: { kind: string; ms: number; calls: number; creates: number }[] = [];
const lastCalls = new Map<string, string[]>();
async function measured(kind: string, work: () => Promise<void>) {
  const before = github.log.length;
  const t0 = performance.now();
  await work();
  const calls = github.log.slice(before).filter((l) => !l.includes('/access_tokens'));
  lastCalls.set(kind, calls);
  times.push({
    kind,
    ms: performance.now() - t0,
    calls: calls.length,
    creates: calls.filter((l) => l.startsWith('POST') && l.endsWith('/comments')).length,
  });
}

const started = performance.now();
for (let i = 0; i < ROUNDS; i++) {
  const d = github.dispatches.at(-1)?.inputs ?? {};
  const output = formatActionOutput(
    {
      kind: 'response',
      run: d.run_id ?? '',
      stage: 'draft',
      attempt: Number(d.attempt),
      nonce: d.nonce ?? '',
      usage: { tokens_in: 100, tokens_out: 300, cost_usd: 0.002 },
    },
    `Draft number ${i + 1}.`,
  );
  await measured('action output', () => comment('github-actions[bot]', 'Bot', output));
  await measured('/retry command', () => comment('bob', 'User', `/retry try again (${i + 1})`));
}
const seconds = (performance.now() - started) / 1000;

const pct = (list: number[], p: number) =>
  [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor((p / 100) * list.length))] ?? 0;
console.log(
  `\napp: ${times.length} events in ${seconds.toFixed(1)} s = ${(times.length / seconds).toFixed(1)} events/s (local stand-in, one subject)`,
);
for (const kind of ['action output', '/retry command']) {
  const of = times.filter((t) => t.kind === kind);
  console.log(
    `${kind.padEnd(16)} p50 ${pct(
      of.map((t) => t.ms),
      50,
    ).toFixed(1)} ms  p99 ${pct(
      of.map((t) => t.ms),
      99,
    ).toFixed(1)} ms  REST calls p50 ${pct(
      of.map((t) => t.calls),
      50,
    )} max ${Math.max(...of.map((t) => t.calls))}  comments created max ${Math.max(...of.map((t) => t.creates))}`,
  );
}
for (const [kind, calls] of lastCalls) {
  const named = calls.map((l) => l.replace('/repos/acme/widgets', '').replace(/\d{4,}/g, ':id'));
  console.log(`  last ${kind}: ${named.join(', ')}`);
}
const status = github.botComments(1).find((c) => c.body.includes('flowgate:status'));
console.log(
  `status comment after ${ROUNDS * 2} transitions, ${github.comments.length} comments on the issue: ${status?.body.length ?? 0} characters (target under 60,000; GitHub's limit 65,536)`,
);
server.close();
