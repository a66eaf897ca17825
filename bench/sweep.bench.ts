// A scheduled sweep over 200 open issues (outline -> edit, whose gate waits for a person), run in process by
// `runSweep` against a local stand-in for GitHub's REST API on 127.0.0.1 and a scripted model server: wall time,
// model calls, GitHub API calls per item by method and route, and the content-creating requests per minute the
// sweep's pacer let through. The sweep's clock is virtual: the pacer's waits move it forward instead of being
// slept, so the run is quick and the per-minute numbers are what a runner would see.
// `npm run bench`; numbers only, no pass/fail.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { providerModels } from '../src/action/models.ts';
import { runSweep } from '../src/action/sweep/run-sweep.ts';
import { decodeSweepState } from '../src/core/sweep/index.ts';
import { createOctokit } from '../src/github/create-octokit.ts';
import { briefsWorkflow } from '../test/action/sweep/sweep-process-fixture.ts';
import { addBriefIssues } from '../test/support/brief-issues.ts';
import { GitHubStandIn } from '../test/support/github-stand-in.ts';
import { ModelServer } from '../test/support/model-server.ts';
import { serveStandIn } from '../test/support/serve-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from '../test/support/state-keys.ts';

// `node bench/sweep.bench.ts content` sweeps the scheduled content pipeline example instead (outline -> draft, whose
// gate is a second model -> edit, whose gate waits for an editor), over 200 issues labelled `article-brief`.
const CONTENT = process.argv[2] === 'content';
const ITEMS = Number(process.env.BENCH_SWEEP_ITEMS ?? 200);
const BATCH = Number(process.env.BENCH_SWEEP_BATCH ?? 10); // the schema's default batch_size
const STATE_KEY = STATE_PRIVATE_KEY;

// One clock for the sweep and for GitHub: the real one, plus what the pacer asked the sweep to wait.
let waitedMs = 0;
const clock = () => Date.now() + waitedMs;
const github = new GitHubStandIn('acme', 'widgets', () => new Date(clock()).toISOString());
github.tokenLogins.set('ghs_bench', 'github-actions[bot]');
if (CONTENT) {
  const file = await readFile(
    new URL('../workflows-examples/scheduled-content-pipeline.yml', import.meta.url),
    'utf8',
  );
  github.files.set(
    '.github/flowgate/scheduled-content-pipeline.yml',
    file.replace('max_cost_usd: 60', 'max_cost_usd: 600'),
  );
  addBriefIssues(github, ITEMS, 'rudy', 'article-brief');
} else {
  github.files.set('.github/flowgate/briefs.yml', briefsWorkflow({ batchSize: BATCH }));
  addBriefIssues(github, ITEMS, 'rudy');
}
const calls: { route: string; method: string; at: number; free: boolean; creating: boolean }[] = [];
const served = await serveStandIn(github, undefined, '', 0, ({ method, path, status, mutation }) =>
  calls.push({
    method,
    route: `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/{n}')}`,
    at: clock(),
    // GitHub does not count a conditional GET answered 304 against the rate limit.
    free: method === 'GET' && status === 304,
    // Content-creating: every request but GET and HEAD, and of GraphQL only mutations.
    creating: method !== 'GET' && method !== 'HEAD' && (path !== '/graphql' || mutation),
  }),
);
const models = await ModelServer.start();
models.fallback = { text: 'A fine outline.', usage: { input: 10, output: 5 } };
// The draft's approver (a second model) is asked for a structured verdict: it approves.
models.onRequest = (request) => {
  const judging = JSON.stringify(request.body).includes('decision');
  models.fallback = judging
    ? { text: '{"decision": "approved", "feedback": "Good."}', usage: { input: 10, output: 5 } }
    : { text: 'A fine outline.', usage: { input: 10, output: 5 } };
};

const t0 = performance.now();
const result = await runSweep({
  octokit: createOctokit({ token: 'ghs_bench', baseUrl: served.url, resilient: false }),
  github: { token: 'ghs_bench', repo: { owner: 'acme', repo: 'widgets', id: REPO_ID }, apiUrl: served.url },
  defaultBranch: 'main',
  runId: '1',
  trigger: 'cron',
  actor: 'schedule',
  config: {
    stateKey: STATE_KEY,
    actionsWorkflow: '',
    startPermission: 'write',
    outputAuthors: ['github-actions[bot]'],
  },
  models: providerModels,
  env: {
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: models.baseUrl('openai'),
    ANTHROPIC_API_KEY: 'sk-bench',
    ANTHROPIC_BASE_URL: models.baseUrl('anthropic'),
    GOOGLE_GENERATIVE_AI_API_KEY: 'bench',
    GOOGLE_GENERATIVE_AI_BASE_URL: models.baseUrl('google'),
  },
  log: { info: () => {}, warning: () => {} },
  now: () => new Date(clock()).toISOString(),
  sleep: async (ms) => {
    waitedMs += ms;
  },
});
const seconds = (performance.now() - t0) / 1000;
await models.close();
await served.close();

const perItem = (n: number) => (n / ITEMS).toFixed(2).padStart(6);
const count = <T>(values: readonly T[], key: (v: T) => string) => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
};
const counted = calls.filter((c) => !c.free);
const writes = calls.filter((c) => c.creating);
const dashboardWrites = writes.filter((c) => c.route === `PATCH /repos/acme/widgets/issues/{n}`).length;
// The busiest minute: the most content-creating requests in any 60 s of the sweep's clock.
let busiest = 0;
for (let i = 0, j = 0; i < writes.length; i++) {
  while ((writes[i]?.at ?? 0) - (writes[j]?.at ?? 0) >= 60_000) j++;
  busiest = Math.max(busiest, i - j + 1);
}
const spanMinutes = ((writes.at(-1)?.at ?? 0) - (writes[0]?.at ?? 0)) / 60_000;

if (process.env.BENCH_SWEEP_TRACE === '1') {
  for (const c of calls) console.log(`${c.free ? 'free ' : c.creating ? 'write' : 'read '} ${c.route}`);
}
console.log(
  CONTENT
    ? `\nsweep: the scheduled content pipeline example over ${ITEMS} open issues (outline -> draft, judged by a second model -> edit at an editor's gate), stage by stage, in process`
    : `\nsweep: ${ITEMS} open issues, batch_size ${BATCH}, stage by stage (outline -> edit at a person's gate), in process`,
);
console.log(`  outcome              ${result.summary.join(' ')}`);
console.log(
  `  wall time            ${seconds.toFixed(1)} s (${((seconds * 1000) / ITEMS).toFixed(0)} ms per item)`,
);
console.log(
  `  model calls          ${models.requests.length} (${perItem(models.requests.length).trim()} per item)`,
);
console.log(
  `  GitHub API calls     ${counted.length} counted (${perItem(counted.length).trim()} per item), and ${calls.length - counted.length} conditional reads answered 304 (free; ${perItem(calls.length - counted.length).trim()} per item)`,
);
console.log('  counted, by route');
for (const [route, n] of count(counted, (c) => c.route)) {
  console.log(
    `    ${perItem(n)} per item  ${String(n).padStart(5)}  ${route.replace(/[0-9a-f]{40}/, '{sha}')}${route === 'POST /graphql' ? ' (queries: comment edit histories)' : ''}`,
  );
}
console.log('  free (304), by route');
for (const [route, n] of count(
  calls.filter((c) => c.free),
  (c) => c.route,
)) {
  console.log(`    ${perItem(n)} per item  ${String(n).padStart(5)}  ${route}`);
}
console.log(
  `  content-creating     ${writes.length} requests (${perItem(writes.length).trim()} per item), all paced by the sweep's pacer; ${dashboardWrites} of them dashboard writes`,
);
console.log(
  `  pace                 busiest minute ${busiest} requests, ${(writes.length / Math.max(spanMinutes, 1 / 60)).toFixed(0)} per minute on average over ${spanMinutes.toFixed(1)} min of the sweep's clock; the pacer made the sweep wait ${(waitedMs / 1000).toFixed(1)} s (80 a minute, 500 an hour, 1 s apart)`,
);
// What GitHub's limits make of those requests: a job's GITHUB_TOKEN has 1,000 requests an hour, a GitHub App
// installation token at least 5,000; content-creating requests are held to 500 an hour (and 80 a minute) either way.
const countedPerItem = counted.length / ITEMS;
const creatingPerItem = writes.length / ITEMS;
const perHour = (quota: number) => Math.floor(Math.min(quota / countedPerItem, 500 / creatingPerItem));
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log(
  `  items an hour        ${perHour(1000)} with a GITHUB_TOKEN (1,000 requests, 500 content-creating an hour), ${perHour(5000)} with an installation token (5,000 requests)`,
);
console.log(
  `  target               100 items an hour: at most 10 counted requests (${countedPerItem.toFixed(2)}: ${met(countedPerItem <= 10)}) and 5 content-creating (${creatingPerItem.toFixed(2)}: ${met(creatingPerItem <= 5)}) per item`,
);
// The floor per item (docs/sweeps.md §15): GitHub's, what must be on GitHub at the end (each step's output, one
// status comment, one label write); flowgate's, which also writes the status comment after each step, and the
// dashboard once per batch and at the sweep's start and end.
const dashboard = [...github.issues.values()].find(
  (i) => i.title === (CONTENT ? 'Content pipeline' : 'Brief sweeps'),
);
const swept = decodeSweepState(dashboard?.body ?? '', STATE_KEY, REPO_ID);
const batches = swept.ok
  ? Object.values(swept.state.current?.stages ?? {}).reduce((sum, stage) => sum + stage.batches, 0)
  : Number.NaN;
const steps = models.requests.length / ITEMS;
const githubFloor = steps + 1 + 1;
const flowgateFloor = steps + 1 + steps + 1 + (batches + 2) / ITEMS;
const reached = creatingPerItem <= flowgateFloor + 0.05;
console.log(
  `  floor                content-creating per item: GitHub's ${githubFloor.toFixed(2)} (${steps} outputs, the status comment, the labels: at most ${Math.floor(500 / githubFloor)} items an hour), flowgate's ${flowgateFloor.toFixed(2)} (and the status comment after each step, the dashboard per batch); measured ${creatingPerItem.toFixed(2)}: ${reached ? 'floor reached' : 'NOT at the floor'}`,
);
