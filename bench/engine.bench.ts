// How fast the run engine steps, and how large a long run's state block gets.
// `npm run bench`; numbers only, no pass/fail: compare them between changes.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseCommands } from '../src/core/commands/parse-commands.ts';
import type { Actor } from '../src/core/engine/events.ts';
import { startRun, step } from '../src/core/engine/step.ts';
import { loadWorkflow } from '../src/core/load/load-workflow.ts';
import { encodeStateBlock, trimState } from '../src/core/state/encode-state.ts';
import { simulateOnGitHub } from '../src/simulate/simulate-on-github.ts';

console.log(
  '\nsimulate: every example run to its end with the default script (the reconcile and the Action over the in-memory GitHub)',
);
for (const name of readdirSync('workflows-examples').filter((n) => n.endsWith('.yml'))) {
  const text = readFileSync(`workflows-examples/${name}`, 'utf8');
  const { workflow } = await loadWorkflow(name, text);
  if (workflow === undefined) throw new Error(`${name} did not load`);
  const file = { path: name, text };
  await simulateOnGitHub(workflow, { file }); // warm-up
  const start = performance.now();
  const result = await simulateOnGitHub(workflow, { file });
  const ms = performance.now() - start;
  const requests = result.github.log.length;
  console.log(
    `${name.padEnd(40)} ${String(result.events).padStart(4)} events  ${ms.toFixed(1).padStart(6)} ms  ${(ms / result.events).toFixed(3)} ms/event  ${String(requests).padStart(4)} requests  ${result.outcome.kind}`,
  );
}

// A long run: a gated stage retried 1,000 times (each retry is a transition with history), then approved.
const text = `version: 1
name: long
providers: { writer: anthropic/claude-sonnet-4-5 }
stages:
  - id: draft
    provider: writer
    instructions: "Draft {{ subject.title }}"
    gate: manual
  - id: done
`;
const { workflow } = await loadWorkflow('long.yml', text);
if (workflow === undefined) throw new Error('long.yml did not load');
const actor: Actor = {
  login: 'maintainer',
  permission: 'maintain',
  teams: [],
  codeowner: false,
  is_bot: false,
};
let minute = 0;
const ctx = () => ({
  now: new Date(Date.UTC(2026, 0, 1) + minute++ * 60_000).toISOString(),
  nonce: `n${minute}`,
});
let { state } = startRun(
  workflow,
  {
    id: 'start',
    type: 'run.started',
    by: 'author',
    run_id: 'run-1',
    workflow_sha: 'sha',
    subject: { kind: 'issue', number: 1, author: 'author', title: 'A long run', labels: [] },
  },
  ctx(),
);
const retry = parseCommands('/retry try again').commands[0];
if (retry === undefined) throw new Error('no command');
const times: number[] = [];
for (let i = 0; i < 1000; i++) {
  const wait = state.wait;
  const nonce = wait?.for === 'action' ? wait.nonce : '';
  const usage = { tokens_in: 100, tokens_out: 200, cost_usd: 0.001 };
  const t0 = performance.now();
  state = step(
    workflow,
    state,
    {
      id: `r${i}`,
      type: 'response.received',
      stage: 'draft',
      nonce,
      sha256: `${i}`,
      pointer: { comment_id: i },
      usage,
    },
    ctx(),
  ).state;
  state = step(
    workflow,
    state,
    { id: `c${i}`, type: 'command.received', command: retry, actor, comment_id: i },
    ctx(),
  ).state;
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const block = encodeStateBlock(state, 'fgsk1_ellFeJT2rH8EKmKtW-SGyj1softp3lGdevwmL4G9mOU', {
  id: 1,
  number: 1,
});
const kept = trimState(state);
console.log(
  `\nengine: 1,000 answer + /retry cycles: p50 ${(times[500] ?? 0).toFixed(3)} ms, p99 ${(times[990] ?? 0).toFixed(3)} ms per cycle`,
);
console.log(
  `state block after ${state.history.length} history entries: ${block.length} characters (target < 60,000; ${kept.history_trimmed} oldest entries trimmed, ${kept.history.length} kept)`,
);
