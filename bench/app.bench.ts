// The GitHub App under a stream of events, against a local stand-in for GitHub's REST API on 127.0.0.1:
// handling time per event, events per second, REST calls per event, and the status comment's size.
// `npm run bench`; numbers only, no pass/fail.
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Probot, ProbotOctokit } from 'probot';
import { flowgateApp } from '../src/app/flowgate-app.ts';
import { formatActionOutput } from '../src/core/action-output.ts';
import { GitHubStandIn } from '../test/support/github-stand-in.ts';
import { serveStandIn } from '../test/support/serve-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from '../test/support/state-keys.ts';

const WORKFLOW = `version: 1
name: draft
on: { labels: [flowgate:draft] }
providers: { writer: anthropic/claude-sonnet-4-5 }
stages:
  - id: draft
    provider: writer
    instructions: "Draft {{ subject.title }}"
    gate: manual
  - id: done
`;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 500);

// GitHub's clock in the stand-in moves 30 s per comment or edit: a long run's events are minutes apart, not
// milliseconds, which is what the app's incremental comment listing (comments since the last listing) relies on.
let tick = Date.now();
const github = new GitHubStandIn('acme', 'widgets', () => {
  tick += 30_000;
  return new Date(tick).toISOString();
});
github.files.set('.github/flowgate/draft.yml', WORKFLOW);
github.permissions.set('bob', 'maintain');
github.issues.set(1, { title: 'A long run', author: 'alice', labels: [], state: 'open', pull: false });

const { url: baseUrl, server } = await serveStandIn(github);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const probot = new Probot({
  appId: 1,
  privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  baseUrl,
  logLevel: (process.env.BENCH_LOG as never) ?? 'fatal',
  Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    retry: { enabled: false },
    throttle: { enabled: false },
  })),
});
let nonce = 0;
probot.load((app) =>
  flowgateApp(app, {
    config: {
      stateKey: STATE_PRIVATE_KEY,
      actionsWorkflow: 'flowgate.yml',
      startPermission: 'write',
      outputAuthors: ['github-actions[bot]'],
    },
    nonce: () => `n${++nonce}`,
    timers: false,
  }),
);

const repository = {
  id: REPO_ID,
  name: 'widgets',
  full_name: 'acme/widgets',
  owner: { login: 'acme' },
  default_branch: 'main',
};
const issue = { number: 1, title: 'A long run', state: 'open', user: { login: 'alice' }, labels: [] };
let delivery = 0;
async function comment(login: string, type: 'User' | 'Bot', body: string) {
  const stored = github.addComment(1, login, body, type);
  await probot.receive({
    id: `d${++delivery}`,
    name: 'issue_comment',
    payload: {
      action: 'created',
      repository,
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
    repository,
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
