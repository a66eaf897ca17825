import { loadWorkflow } from '../../../src/core/load/load-workflow.ts';
import {
  acquireLease,
  type ItemResult,
  nextWork,
  recordResults,
  releaseLease,
  type SweepItem,
  type SweepState,
  settleSweep,
  startBatch,
  startSweep,
  type Work,
} from '../../../src/core/sweep/index.ts';
import { emptySweepState } from '../../../src/core/sweep/sweep-state.ts';
import type { Workflow } from '../../../src/core/workflow.ts';
import { STATE_PRIVATE_KEY } from '../../support/state-keys.ts';

/** The time of the first step of a test; `minute(n)` is n minutes later. */
export const T0 = Date.UTC(2025, 5, 12, 2, 0);

export function minute(n: number): string {
  return new Date(T0 + n * 60_000).toISOString();
}

export const HOLDER = 'actions-run-100';
export const KEY = STATE_PRIVATE_KEY;

export interface ScheduleOptions {
  batch_size?: number;
  strategy?: 'stage-by-stage' | 'item-by-item';
  on_failure?: 'continue' | 'stop';
  budget?: { max_tokens?: number; max_cost_usd?: number };
  title?: string;
  retention_days?: number;
}

function scheduleYaml(options: ScheduleOptions): string {
  const lines = [
    '  schedule:',
    '    cron: "0 2 * * *"',
    '    select: { labels: [brief] }',
    `    batch_size: ${options.batch_size ?? 2}`,
    `    strategy: ${options.strategy ?? 'stage-by-stage'}`,
    `    on_failure: ${options.on_failure ?? 'continue'}`,
  ];
  if (options.budget !== undefined) lines.push(`    budget: ${JSON.stringify(options.budget)}`);
  const dashboard: Record<string, unknown> = {};
  if (options.title !== undefined) dashboard.title = options.title;
  if (options.retention_days !== undefined) dashboard.retention_days = options.retention_days;
  lines.push(`    dashboard: ${JSON.stringify(dashboard)}`);
  return lines.join('\n');
}

async function load(text: string): Promise<Workflow> {
  const result = await loadWorkflow('flow.yml', text);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.workflow === undefined || errors.length > 0) {
    throw new Error(`the test workflow does not load:\n${errors.map((d) => d.message).join('\n')}`);
  }
  return result.workflow;
}

/**
 * outline -> draft (an AI approver) -> edit (a person's gate) -> ready: the shape of the scheduled content
 * pipeline example, with estimates on every automatic stage.
 */
export function pipeline(options: ScheduleOptions = {}): Promise<Workflow> {
  return load(`version: 1
name: content
on:
${scheduleYaml(options)}
providers:
  writer: anthropic/claude-sonnet-4-5
  editor: google/gemini-2.5-pro
defaults: { gate: skip }
stages:
  - id: outline
    provider: writer
    instructions: Outline {{ subject.title }}
    estimate: { tokens: 4000, cost_usd: 0.005 }
  - id: draft
    provider: writer
    instructions: Draft {{ subject.title }}
    gate: { approver: "ai:editor" }
    estimate: { tokens: 14000, cost_usd: 0.14 }
  - id: edit
    provider: editor
    instructions: Edit {{ subject.title }}
    gate: { approver: manual }
    estimate: { tokens: 18000, cost_usd: 0.09 }
    next: ready
  - id: ready
    type: terminal
`);
}

/** check -> (pass) done | (fail) fix -> check: a loop, with no person's gate. */
export function loop(options: ScheduleOptions = {}): Promise<Workflow> {
  return load(`version: 1
name: loop
on:
${scheduleYaml(options)}
providers:
  writer: anthropic/claude-sonnet-4-5
defaults: { gate: skip }
stages:
  - id: check
    provider: writer
    instructions: Check {{ subject.title }}
    verdict: true
    transitions:
      - { to: done, when: 'verdict == "pass"' }
      - { to: fix }
  - id: fix
    provider: writer
    instructions: Fix {{ subject.title }}
    next: check
  - id: done
    type: terminal
`);
}

/** plan -> write (a person writes) -> done. */
export function manualStage(options: ScheduleOptions = {}): Promise<Workflow> {
  return load(`version: 1
name: handwritten
on:
${scheduleYaml(options)}
providers:
  writer: anthropic/claude-sonnet-4-5
defaults: { gate: skip }
stages:
  - id: plan
    provider: writer
    instructions: Plan {{ subject.title }}
  - id: write
    mode: manual
  - id: done
    type: terminal
`);
}

/** The usage a test stage reports: `tokens` in all, half in and half out, and `cost` dollars. */
export function usage(tokens: number, cost: number) {
  return { tokens_in: Math.floor(tokens / 2), tokens_out: tokens - Math.floor(tokens / 2), cost_usd: cost };
}

/** A fresh state with `HOLDER` holding the lease at minute 0. */
export function leased(workflow: Workflow, state: SweepState = emptySweepState(workflow.name)): SweepState {
  const result = acquireLease(state, HOLDER, minute(0), 3600);
  if (!result.granted) throw new Error(result.message);
  return result.state;
}

/** Starts sweep `id` at minute 0 over items without runs (numbers) or with the runs given. */
export function started(
  workflow: Workflow,
  items: readonly (number | SweepItem)[],
  state: SweepState = leased(workflow),
  id = 'sweep-1',
): SweepState {
  const result = startSweep(workflow, state, {
    id,
    now: minute(0),
    holder: HOLDER,
    trigger: 'cron',
    actor: 'schedule',
    run_url: 'https://github.com/acme/widgets/actions/runs/100',
    items: items.map((item) => (typeof item === 'number' ? { number: item } : item)),
  });
  if (!result.ok) throw new Error(result.message);
  return result.state;
}

/** What the test shell does with one item at one stage. */
export type Executor = (stage: string, item: number) => Omit<ItemResult, 'item'>;

/** Every item done at every stage with 1,000 tokens and $0.01; a person's gate leaves it waiting. */
export const doneEverywhere: Executor = (stage) =>
  stage === 'edit'
    ? { outcome: 'waiting', usage: usage(1000, 0.01) }
    : { outcome: 'done', usage: usage(1000, 0.01) };

export interface LoopRecord {
  state: SweepState;
  /** Every (stage, item) the shell worked on, in order. */
  calls: { stage: string; item: number }[];
  /** The batches, in order. */
  batches: Extract<Work, { kind: 'batch' }>[];
  /** What ended the loop. */
  end: Work;
}

/**
 * The shell's loop, as docs/sweeps.md describes it, each step one minute after the last: nextWork, then
 * startBatch, the work, recordResults; until the work is not a batch, which is settled, and the lease released.
 */
export function runLoop(
  workflow: Workflow,
  state: SweepState,
  executor: Executor,
  options: { clock?: { n: number }; maxBatches?: number } = {},
): LoopRecord {
  const clock = options.clock ?? { n: 1 };
  const tick = () => minute(clock.n++);
  const calls: LoopRecord['calls'] = [];
  const batches: LoopRecord['batches'] = [];
  let current = state;
  for (let i = 0; i < (options.maxBatches ?? 10_000); i++) {
    const work = nextWork(workflow, current, tick());
    if (work.kind !== 'batch') {
      current = releaseLease(settleSweep(current, work, tick()), HOLDER);
      return { state: current, calls, batches, end: work };
    }
    batches.push(work);
    current = startBatch(workflow, current, work, tick());
    const results = work.items.map((item) => {
      calls.push({ stage: work.stage, item });
      return { item, ...executor(work.stage, item) } as ItemResult;
    });
    current = recordResults(workflow, current, work.stage, results, tick());
  }
  return { state: current, calls, batches, end: { kind: 'paused', reason: 'the test stopped the loop' } };
}

/** The state with its current sweep changed by `patch` (the sweep must exist). */
export function patchSweep(
  state: SweepState,
  patch: Partial<NonNullable<SweepState['current']>>,
): SweepState {
  if (state.current === undefined) throw new Error('the state has no current sweep');
  return { ...state, current: { ...state.current, ...patch } };
}
