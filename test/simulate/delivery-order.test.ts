import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { loadScript } from '../../src/core/simulate/load-script.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import { type SimulationShell, simulateOnGitHub } from '../../src/simulate/simulate-on-github.ts';
import { appShell } from '../support/app-shell.ts';
import { chaosShell, type Fate } from '../support/chaos-shell.ts';

/** The examples the app runs from a label or a command; the scheduled pipeline is run by the Action's sweeps. */
const EXAMPLES = readdirSync('workflows-examples')
  .filter((f) => f.endsWith('.yml') && f !== 'scheduled-content-pipeline.yml')
  .map((f) => f.replace(/\.yml$/, ''));

async function run(name: string, shell: SimulationShell) {
  const path = `workflows-examples/${name}.yml`;
  const text = readFileSync(path, 'utf8');
  const { workflow, diagnostics } = await loadWorkflow(path, text);
  if (workflow === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const file = `workflows-examples/scripts/${name}.events.yml`;
  const loaded = loadScript(file, readFileSync(file, 'utf8'), workflow).loaded;
  return simulateOnGitHub(workflow, {
    file: { path, text },
    ...(loaded === undefined ? {} : { script: loaded }),
    shell,
  });
}

/** How the run ended, and who did what in it: what must not depend on how webhooks arrived. */
function outcome(state: RunState | undefined) {
  if (state === undefined) return undefined;
  return {
    status: state.status,
    stage: state.stage,
    usage: state.usage,
    stages: Object.fromEntries(
      Object.entries(state.stages).map(([id, r]) => [
        id,
        {
          attempt: r.attempt,
          visits: r.visits,
          output: r.output?.sha256,
          verdict: r.output?.verdict,
          approvals: r.approvals.map((a) => `${a.by}:${a.step}:${a.attempt}`),
          rejections: r.rejections.map((j) => `${j.by}:${j.reason ?? ''}`),
        },
      ]),
    ),
  };
}

// Three delivery schedules per example in the suite; FLOWGATE_CHAOS_RUNS and FLOWGATE_CHAOS_SEED try more.
describe('a run through the app, whatever the delivery order', () => {
  it.each(EXAMPLES)(
    'ends %s the same when webhooks are lost, repeated or late as when each arrives at once',
    async (name) => {
      const inOrder = await run(name, appShell());
      const expected = outcome(inOrder.state);
      const replies = (r: typeof inOrder) =>
        r.github.comments.filter((c) => c.login === 'flowgate[bot]' && !c.body.includes('flowgate:status'))
          .length;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom<Fate>('now', 'drop', 'twice', 'late'), { minLength: 1, maxLength: 12 }),
          async (fates) => {
            const chaotic = await run(name, chaosShell(fates));
            expect(chaotic.outcome.kind).toBe(inOrder.outcome.kind);
            expect(outcome(chaotic.state)).toEqual(expected);
            // Every reply once, however often the webhook came.
            expect(replies(chaotic)).toBe(replies(inOrder));
          },
        ),
        {
          numRuns: Number(process.env.FLOWGATE_CHAOS_RUNS ?? 3),
          seed: Number(process.env.FLOWGATE_CHAOS_SEED ?? 20261203),
          endOnFailure: true,
        },
      );
    },
    120_000,
  );
});
