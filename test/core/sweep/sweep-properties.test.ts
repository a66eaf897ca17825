import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyDashboardComments,
  decodeSweepState,
  encodeSweepState,
  type ItemResult,
  nextWork,
  recordResults,
  type SweepItem,
  type SweepState,
  SweepStateSchema,
  settleSweep,
  startBatch,
  sweepRuns,
} from '../../../src/core/sweep/index.ts';
import type { Workflow } from '../../../src/core/workflow.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import { KEY, minute, pipeline, started } from './support.ts';

type Outcome = 'done' | 'failed' | 'skipped';

interface Scenario {
  strategy: 'stage-by-stage' | 'item-by-item';
  on_failure: 'continue' | 'stop';
  batch_size: number;
  items: { number: number; at: 'new' | 'draft-failed' | 'edit-waiting' | 'completed' | 'cancelled' }[];
  /** Per (stage, item) visit, in order of use: what happens; cycled. */
  outcomes: Outcome[];
  /** Batch indexes after which the shell dies before recording (the batch is taken up again). */
  crashes: number[];
  /** Batch indexes after which someone comments /pause, then /resume. */
  pauses: number[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  strategy: fc.constantFrom('stage-by-stage' as const, 'item-by-item' as const),
  on_failure: fc.constantFrom('continue' as const, 'stop' as const),
  batch_size: fc.integer({ min: 1, max: 4 }),
  items: fc.uniqueArray(
    fc.record({
      number: fc.integer({ min: 1, max: 60 }),
      at: fc.constantFrom(
        'new' as const,
        'new' as const,
        'draft-failed' as const,
        'edit-waiting' as const,
        'completed' as const,
        'cancelled' as const,
      ),
    }),
    { minLength: 1, maxLength: 12, selector: (i) => i.number },
  ),
  outcomes: fc.array(fc.constantFrom<Outcome>('done', 'done', 'done', 'failed', 'skipped'), {
    minLength: 1,
    maxLength: 20,
  }),
  crashes: fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 3 }),
  pauses: fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 2 }),
});

function sweepItem({ number, at }: Scenario['items'][number]): SweepItem {
  switch (at) {
    case 'new':
      return { number };
    case 'draft-failed':
      return { number, run: { stage: 'draft', status: 'failed' } };
    case 'edit-waiting':
      return { number, run: { stage: 'edit', status: 'awaiting_approval' } };
    case 'completed':
      return { number, run: { stage: 'ready', status: 'completed' } };
    case 'cancelled':
      return { number, run: { stage: 'outline', status: 'cancelled' } };
  }
}

/** Every item is in at most one list of each stage, and pending or started at one stage at most. */
function checkShape(workflow: Workflow, state: SweepState): void {
  SweepStateSchema.parse(state);
  const sweep = state.current;
  if (sweep === undefined) return;
  const active = new Map<number, string>();
  for (const [stage, q] of Object.entries(sweep.stages)) {
    const all = [
      ...q.pending,
      ...q.started,
      ...q.done,
      ...q.waiting,
      ...q.failed.map((f) => f.item),
      ...q.skipped.map((s) => s.item),
    ];
    expect(new Set(all).size).toBe(all.length);
    for (const item of [...q.pending, ...q.started]) {
      expect(active.get(item), `#${item} active at ${stage} and ${active.get(item)}`).toBeUndefined();
      active.set(item, stage);
    }
  }
  const perItem = Object.values(sweep.items).reduce((n, [, cost]) => n + cost, 0);
  const perStage = Object.values(sweep.stages).reduce((n, q) => n + q.spend.cost_usd, 0);
  expect(perItem).toBeCloseTo(sweep.spend.cost_usd, 5);
  expect(perStage).toBeCloseTo(sweep.spend.cost_usd, 5);
  expect(workflow.stages.length).toBeGreaterThan(0);
}

describe('a sweep, whatever happens to it (property)', () => {
  const workflows = new Map<string, Workflow>();
  beforeAll(async () => {
    for (const strategy of ['stage-by-stage', 'item-by-item'] as const) {
      for (const on_failure of ['continue', 'stop'] as const) {
        for (const batch_size of [1, 2, 3, 4]) {
          workflows.set(
            `${strategy}/${on_failure}/${batch_size}`,
            await pipeline({ strategy, on_failure, batch_size }),
          );
        }
      }
    }
  });

  it('ends, never records a stage twice for an item, keeps its order, and accounts for every item', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const workflow = workflows.get(`${s.strategy}/${s.on_failure}/${s.batch_size}`) as Workflow;
        const runnable = workflow.stages.filter(sweepRuns).map((st) => st.id);
        const items = s.items.map(sweepItem);
        const hasWork = items.some((i) => i.run === undefined || i.run.status === 'failed');
        if (!hasWork) return;
        let state = started(workflow, items);
        let clock = 1;
        const tick = () => minute(clock++);
        let uses = 0;
        const recorded = new Set<string>();
        let commentId = 1;
        let end: string | undefined;

        for (let batchIndex = 0; batchIndex < 200 && end === undefined; batchIndex++) {
          const work = nextWork(workflow, state, tick());
          if (work.kind !== 'batch') {
            if (work.kind === 'paused') {
              state = applyDashboardComments(
                workflow,
                state,
                [
                  {
                    id: commentId++,
                    author: 'bob',
                    body: '/resume',
                    created_at: tick(),
                    permission: 'write',
                  },
                ],
                tick(),
              ).state;
              continue;
            }
            state = settleSweep(state, work, tick());
            end = work.kind;
            break;
          }
          if (s.strategy === 'stage-by-stage') {
            // No earlier stage has work left while this one runs.
            const earlier = runnable.slice(0, runnable.indexOf(work.stage));
            for (const id of earlier) {
              const q = state.current?.stages[id];
              expect([...(q?.pending ?? []), ...(q?.started ?? [])]).toEqual([]);
            }
          } else {
            // The batch holds the lowest-numbered items that still have work.
            const active = Object.values(state.current?.stages ?? {}).flatMap((q) => [
              ...q.pending,
              ...q.started,
            ]);
            const window = [...new Set(active)].sort((a, b) => a - b).slice(0, s.batch_size);
            expect(work.items.every((i) => window.includes(i))).toBe(true);
          }
          state = startBatch(workflow, state, work, tick());
          checkShape(workflow, state);
          if (s.crashes.includes(batchIndex)) {
            // The shell dies: its results are lost; the state it wrote before working stays.
            continue;
          }
          const results = work.items.map((item): ItemResult => {
            const outcome = s.outcomes[uses++ % s.outcomes.length] as Outcome;
            const usage = { tokens_in: 10, tokens_out: 5, cost_usd: 0.001 };
            if (outcome === 'failed') return { item, outcome, error: 'boom', usage };
            if (outcome === 'skipped') return { item, outcome, reason: 'closed' };
            return work.stage === 'edit'
              ? { item, outcome: 'waiting', usage }
              : { item, outcome: 'done', usage };
          });
          for (const r of results) {
            const key = `${work.stage}:${r.item}`;
            expect(recorded.has(key), `${key} recorded twice`).toBe(false);
            recorded.add(key);
          }
          state = recordResults(workflow, state, work.stage, results, tick());
          // Recording the same batch again changes nothing.
          expect(recordResults(workflow, state, work.stage, results, tick())).toBe(state);
          checkShape(workflow, state);
          if (s.pauses.includes(batchIndex)) {
            state = applyDashboardComments(
              workflow,
              state,
              [{ id: commentId++, author: 'bob', body: '/pause', created_at: tick(), permission: 'write' }],
              tick(),
            ).state;
          }
        }

        expect(end, 'the sweep ended').toBeDefined();
        const sweep = state.current;
        if (sweep === undefined) throw new Error('no sweep');
        if (end === 'done' || end === 'wait-human') {
          expect(sweep.status).toBe('completed');
          // Every item ended somewhere: finished, waiting for people, failed or skipped.
          const accounted = new Set<number>(sweep.completed);
          for (const q of Object.values(sweep.stages)) {
            for (const i of [...q.waiting, ...q.failed.map((f) => f.item), ...q.skipped.map((x) => x.item)])
              accounted.add(i);
            expect(q.pending).toEqual([]);
            expect(q.started).toEqual([]);
          }
          expect([...accounted].sort((a, b) => a - b)).toEqual(
            s.items.map((i) => i.number).sort((a, b) => a - b),
          );
        } else {
          expect(end).toBe('stopped');
          expect(s.on_failure).toBe('stop');
          expect(sweep.status).toBe('failed');
        }
        expect(decodeSweepState(encodeSweepState(state, KEY, REPO_ID), KEY, REPO_ID)).toEqual({
          ok: true,
          state,
        });
      }),
      { numRuns: 200 },
    );
  });
});
