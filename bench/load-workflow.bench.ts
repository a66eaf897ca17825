// How fast workflow files load (parse, schema, lint), and how much memory that takes.
// `npm run bench`; numbers only, no pass/fail: compare them between changes.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { loadWorkflow } from '../src/core/load/load-workflow.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(label: string, name: string, text: string, runs: number): Promise<void> {
  for (let i = 0; i < 20; i++) await loadWorkflow(name, text); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const { workflow } = await loadWorkflow(name, text);
    times.push(performance.now() - start);
    if (workflow === undefined) throw new Error(`${name} did not load`);
  }
  times.sort((a, b) => a - b);
  const kb = (text.length / 1024).toFixed(1);
  console.log(
    `${label.padEnd(40)} ${kb.padStart(6)} KiB  p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms`,
  );
}

/** A long linear workflow: `count` AI stages, each gated and reading the previous output. */
function longWorkflow(count: number): string {
  const stages = Array.from({ length: count }, (_, i) => ({
    id: `s${i}`,
    provider: 'writer',
    instructions: `Step ${i} for {{ subject.title }}: build on {{ outputs.s${Math.max(0, i - 1)} }}`,
    gate: i % 3 === 0 ? 'manual' : 'skip',
    ...(i % 10 === 9
      ? { verdict: true, transitions: [{ to: `s${i + 1}`, when: 'verdict == "pass"' }, `s${i + 1}`] }
      : {}),
  }));
  return stringify({
    version: 1,
    name: 'long',
    providers: { writer: 'anthropic/claude-sonnet-4-5' },
    stages: [...stages, { id: `s${count}`, type: 'terminal' }],
  });
}

console.log('workflow loading (parse + schema + lint), per file');
for (const name of readdirSync('workflows-examples').filter((n) => n.endsWith('.yml'))) {
  await measure(`examples/${name}`, name, readFileSync(`workflows-examples/${name}`, 'utf8'), 200);
}
await measure('synthetic: 100 stages', 'long.yml', longWorkflow(100), 50);
await measure('synthetic: 500 stages', 'long.yml', longWorkflow(500), 10);

global.gc?.();
const before = process.memoryUsage().heapUsed;
const kept = await Promise.all(
  Array.from({ length: 100 }, () => loadWorkflow('long.yml', longWorkflow(100))),
);
const after = process.memoryUsage().heapUsed;
console.log(
  `memory: ${((after - before) / 1024 / 1024 / kept.length).toFixed(2)} MiB heap per loaded 100-stage workflow (kept alive)`,
);
