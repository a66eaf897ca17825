// The bundled flowgate Action: its size, and its cold start (process start to its first request to the GitHub
// API, p50 over the runs), against a local stand-in for GitHub on 127.0.0.1. `npm run bench`; numbers only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GitHubStandIn } from '../test/support/github-stand-in.ts';
import { BUNDLE } from '../test/support/run-bundled-action.ts';
import { serveStandIn } from '../test/support/serve-stand-in.ts';

const RUNS = Number(process.env.BENCH_ROUNDS ?? 20);
const dist = join(BUNDLE, '..');

console.log('\naction: the bundle');
for (const file of readdirSync(dist).sort()) {
  console.log(`  ${file.padEnd(24)} ${(statSync(join(dist, file)).size / 1024).toFixed(1).padStart(8)} KiB`);
}

let firstRequest: (() => void) | undefined;
const github = new GitHubStandIn('acme', 'widgets');
const served = await serveStandIn(github, () => {
  firstRequest?.();
  firstRequest = undefined;
});
const dir = mkdtempSync(join(tmpdir(), 'flowgate-bench-'));
const event = join(dir, 'event.json');
writeFileSync(
  event,
  JSON.stringify({
    inputs: { run_id: 'r-1', subject: '1', stage: 'plan', attempt: '1', nonce: 'n1', step: 'response' },
  }),
);

const times: number[] = [];
for (let i = 0; i < RUNS + 1; i++) {
  const reached = new Promise<void>((resolve) => {
    firstRequest = resolve;
  });
  const t0 = performance.now();
  const child = spawn(process.execPath, [BUNDLE], {
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH ?? '',
      GITHUB_EVENT_PATH: event,
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_REPOSITORY_ID: '1296269',
      GITHUB_API_URL: served.url,
      // Any public key: the bench measures start-up until the first request, not the state check.
      FLOWGATE_STATE_PUBLIC_KEY: 'fgpk1_eTnyJBJjbPxdrt32c3blXcvGjaWvpYLEIN32X-jhpO4',
      FLOWGATE_GITHUB_RESILIENT: 'false',
      'INPUT_GITHUB-TOKEN': 'ghs_bench',
    },
  });
  await reached;
  const ms = performance.now() - t0;
  if (i > 0) times.push(ms); // the first run warms the file system cache
  await new Promise((resolve) => child.on('close', resolve));
}
times.sort((a, b) => a - b);
const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
console.log(
  `action cold start (process start to first GitHub request), ${times.length} runs: p50 ${at(50).toFixed(0)} ms  p90 ${at(90).toFixed(0)} ms  min ${(times[0] ?? 0).toFixed(0)} ms`,
);
await served.close();
rmSync(dir, { recursive: true, force: true });
