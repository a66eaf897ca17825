// The bundled flowgate Action: its size, and its cold start (process start to its first request to the GitHub
// API) side by side with a small peer Action, slash-command-dispatch (its committed bundle, bench/fixtures), all
// against one local stand-in for GitHub on 127.0.0.1. The runs alternate (ours, the peer's, ours...), so a drift
// of the machine's speed touches both alike. `npm run bench`; numbers only. BENCH_ROUNDS sets the runs of each.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GitHubStandIn } from '../test/support/github-stand-in.ts';
import { BUNDLE } from '../test/support/run-bundled-action.ts';
import { serveStandIn } from '../test/support/serve-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY, STATE_PUBLIC_KEY } from '../test/support/state-keys.ts';

const RUNS = Number(process.env.BENCH_ROUNDS ?? 20);
const TARGET = 1.0;
const AIM = 0.8;
const dist = join(BUNDLE, '..');
const PEER = new URL('fixtures/slash-command-dispatch/dist/index.js', import.meta.url).pathname;

console.log('\naction: the bundle');
for (const file of readdirSync(dist).sort()) {
  console.log(`  ${file.padEnd(24)} ${(statSync(join(dist, file)).size / 1024).toFixed(1).padStart(8)} KiB`);
}

let firstRequest: (() => void) | undefined;
const github = new GitHubStandIn('acme', 'widgets');
github.issues.set(7, {
  title: 'Fix the login page',
  author: 'alice',
  labels: [],
  state: 'open',
  pull: false,
});
github.permissions.set('bob', 'maintain');
const comment = github.addComment(7, 'bob', '/approve');
const served = await serveStandIn(github, () => {
  firstRequest?.();
  firstRequest = undefined;
});
const dir = mkdtempSync(join(tmpdir(), 'flowgate-bench-'));

/** One event payload, written once for every run that reads it. */
function eventFile(name: string, payload: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

// The event both Actions see on a runner: someone comments a slash command on an issue.
const commentEvent = eventFile('issue_comment.json', {
  action: 'created',
  issue: {
    number: 7,
    title: 'Fix the login page',
    body: '',
    state: 'open',
    user: { login: 'alice', type: 'User' },
    labels: [],
  },
  comment: { id: comment.id, body: '/approve', user: { login: 'bob', type: 'User' } },
  sender: { login: 'bob', type: 'User' },
  repository: {
    id: REPO_ID,
    name: 'widgets',
    full_name: 'acme/widgets',
    owner: { login: 'acme' },
    default_branch: 'main',
  },
});
const runner = {
  PATH: process.env.PATH ?? '',
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_REPOSITORY_ID: String(REPO_ID),
  GITHUB_API_URL: served.url,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_ACTOR: 'bob',
  GITHUB_TOKEN: 'ghs_bench-token-0123456789',
  GITHUB_OUTPUT: join(dir, 'output'),
  GITHUB_STEP_SUMMARY: join(dir, 'summary'),
};
writeFileSync(runner.GITHUB_OUTPUT, '');
writeFileSync(runner.GITHUB_STEP_SUMMARY, '');

interface Contender {
  name: string;
  file: string;
  env: Record<string, string>;
  times: number[];
}

const contenders: Contender[] = [
  {
    name: 'flowgate, a dispatched response step',
    file: BUNDLE,
    env: {
      ...runner,
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_EVENT_PATH: eventFile('workflow_dispatch.json', {
        inputs: { run_id: 'r-1', subject: '7', stage: 'plan', attempt: '1', nonce: 'n1', step: 'response' },
      }),
      // Any public key: the bench measures start-up until the first request, not the state check.
      FLOWGATE_STATE_PUBLIC_KEY: STATE_PUBLIC_KEY,
      'INPUT_GITHUB-TOKEN': runner.GITHUB_TOKEN,
    },
    times: [],
  },
  {
    name: 'flowgate alone, on the comment',
    file: BUNDLE,
    env: {
      ...runner,
      GITHUB_EVENT_NAME: 'issue_comment',
      GITHUB_EVENT_PATH: commentEvent,
      FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY,
      'INPUT_GITHUB-TOKEN': runner.GITHUB_TOKEN,
    },
    times: [],
  },
];
const peer: Contender = {
  name: 'slash-command-dispatch',
  file: PEER,
  // Its action.yml defaults, as a runner passes them, and one command to dispatch.
  env: {
    ...runner,
    GITHUB_EVENT_NAME: 'issue_comment',
    GITHUB_EVENT_PATH: commentEvent,
    INPUT_TOKEN: runner.GITHUB_TOKEN,
    'INPUT_REACTION-TOKEN': runner.GITHUB_TOKEN,
    INPUT_REACTIONS: 'true',
    INPUT_COMMANDS: 'approve',
    INPUT_PERMISSION: 'write',
    'INPUT_ISSUE-TYPE': 'both',
    'INPUT_ALLOW-EDITS': 'false',
    INPUT_REPOSITORY: 'acme/widgets',
    'INPUT_EVENT-TYPE-SUFFIX': '-command',
    'INPUT_DISPATCH-TYPE': 'repository',
  },
  times: [],
};
const hasPeer = existsSync(PEER);
if (hasPeer) contenders.push(peer);
else console.log(`action: no peer to compare with (${PEER} is absent): flowgate's own start only`);

/** Milliseconds from spawning `c` until the stand-in sees its first request; the process is then ended. */
async function coldStart(c: Contender): Promise<number> {
  const reached = new Promise<void>((resolve) => {
    firstRequest = resolve;
  });
  const t0 = performance.now();
  const child = spawn(process.execPath, [c.file], { stdio: 'ignore', env: c.env });
  const closed = new Promise((resolve) => child.on('close', resolve));
  const exited = closed.then(() => {
    throw new Error(`${c.name} ended before any request to the GitHub API`);
  });
  await Promise.race([reached, exited]);
  const ms = performance.now() - t0;
  exited.catch(() => {});
  child.kill('SIGKILL'); // what it does after its first request is not measured
  await closed;
  return ms;
}

// One round starts each contender once, in turn; the first round warms the file system cache and is not counted.
for (let round = 0; round < RUNS + 1; round++) {
  for (const c of contenders) {
    const ms = await coldStart(c);
    if (round > 0) c.times.push(ms);
  }
}
await served.close();
rmSync(dir, { recursive: true, force: true });

const p50 = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
console.log(`action cold start (process start to first GitHub request), ${RUNS} runs each, alternating:`);
for (const c of contenders) {
  const sorted = [...c.times].sort((a, b) => a - b);
  const p90 = sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] ?? 0;
  console.log(
    `  ${c.name.padEnd(38)} p50 ${p50(c.times).toFixed(0).padStart(4)} ms  p90 ${p90.toFixed(0).padStart(4)} ms  min ${(sorted[0] ?? 0).toFixed(0).padStart(4)} ms`,
  );
}
if (hasPeer) {
  for (const c of contenders.filter((x) => x !== peer)) {
    const ratio = p50(c.times) / p50(peer.times);
    console.log(
      `  ${c.name} / ${peer.name}: ${ratio.toFixed(2)}  (target <= ${TARGET.toFixed(1)}, aim ${AIM}: ${ratio <= TARGET ? 'met' : 'NOT met'})`,
    );
  }
}
