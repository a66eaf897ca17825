import { describe, expect, it } from 'vitest';
import {
  emptySweepState,
  nextWork,
  recordResults,
  setCurrentItem,
  settleSweep,
  startBatch,
  type Work,
} from '../../../src/core/sweep/index.ts';
import {
  doneEverywhere,
  type Executor,
  loop,
  manualStage,
  minute,
  patchSweep,
  pipeline,
  runLoop,
  started,
  usage,
} from './support.ts';

/** Batches as `stage:items` strings, for reading at a glance. */
function plan(batches: readonly Extract<Work, { kind: 'batch' }>[]): string[] {
  return batches.map((b) => `${b.stage}:${b.items.join(',')}`);
}

describe('nextWork', () => {
  describe('stage by stage', () => {
    it('finishes a stage for every item, batch after batch, before the next stage starts', async () => {
      const workflow = await pipeline({ batch_size: 2 });
      const run = runLoop(workflow, started(workflow, [5, 1, 3, 2, 4]), doneEverywhere);
      expect(plan(run.batches)).toEqual([
        'outline:1,2',
        'outline:3,4',
        'outline:5',
        'draft:1,2',
        'draft:3,4',
        'draft:5',
        'edit:1,2',
        'edit:3,4',
        'edit:5',
      ]);
    });

    it("stops at the person's gate: the items wait there, and the sweep completes", async () => {
      const workflow = await pipeline({ batch_size: 2 });
      const run = runLoop(workflow, started(workflow, [1, 2, 3]), doneEverywhere);
      expect(run.end).toEqual({ kind: 'wait-human', waiting: [{ stage: 'edit', items: [1, 2, 3] }] });
      expect(run.state.current).toMatchObject({ status: 'completed', completed: [] });
      expect(run.state.current?.stages.edit?.waiting).toEqual([1, 2, 3]);
      expect(run.state.events.at(-1)?.what).toBe(
        'sweep completed: 0 completed, 0 failed, 0 skipped; 3 wait for people at edit',
      );
      expect(run.state.lease).toBeUndefined();
    });

    it('takes an item a loop sends back to an earlier stage before going further', async () => {
      const workflow = await loop({ batch_size: 3 });
      const visits = new Map<number, number>();
      const executor: Executor = (stage, item) => {
        if (stage === 'fix') return { outcome: 'done', usage: usage(10, 0) };
        const visit = (visits.get(item) ?? 0) + 1;
        visits.set(item, visit);
        // #2 fails its first check; everything else passes.
        return { outcome: 'done', next: item === 2 && visit === 1 ? 'fix' : 'done', usage: usage(10, 0) };
      };
      const run = runLoop(workflow, started(workflow, [1, 2, 3]), executor);
      expect(plan(run.batches)).toEqual(['check:1,2,3', 'fix:2', 'check:2']);
      expect(run.end).toEqual({ kind: 'done' });
      expect(run.state.current?.completed).toEqual([1, 3, 2]);
      expect(run.state.current?.stages.check?.done).toEqual([1, 3, 2]);
    });
  });

  describe('item by item', () => {
    it('takes each item through every stage before the next item, with batch_size 1', async () => {
      const workflow = await pipeline({ batch_size: 1, strategy: 'item-by-item' });
      const run = runLoop(workflow, started(workflow, [2, 1]), doneEverywhere);
      expect(plan(run.batches)).toEqual(['outline:1', 'draft:1', 'edit:1', 'outline:2', 'draft:2', 'edit:2']);
    });

    it('takes batch_size items at a time through every stage', async () => {
      const workflow = await pipeline({ batch_size: 2, strategy: 'item-by-item' });
      const run = runLoop(workflow, started(workflow, [1, 2, 3]), doneEverywhere);
      expect(plan(run.batches)).toEqual([
        'outline:1,2',
        'draft:1,2',
        'edit:1,2',
        'outline:3',
        'draft:3',
        'edit:3',
      ]);
    });

    it('lets the next item in when one of the batch fails', async () => {
      const workflow = await pipeline({ batch_size: 2, strategy: 'item-by-item' });
      const executor: Executor = (stage, item) =>
        stage === 'outline' && item === 1
          ? { outcome: 'failed', error: 'the model refused' }
          : doneEverywhere(stage, item);
      const run = runLoop(workflow, started(workflow, [1, 2, 3]), executor);
      expect(plan(run.batches)).toEqual(['outline:1,2', 'outline:3', 'draft:2,3', 'edit:2,3']);
    });
  });

  describe('after a shell died mid-batch', () => {
    it('takes the started items up again first, saying which, and never redoes finished ones', async () => {
      const workflow = await pipeline({ batch_size: 2 });
      let state = started(workflow, [1, 2, 3]);
      const first = nextWork(workflow, state, minute(1));
      if (first.kind !== 'batch') throw new Error('expected a batch');
      state = startBatch(workflow, state, first, minute(1));
      state = recordResults(
        workflow,
        state,
        'outline',
        [{ item: 1, outcome: 'done', usage: usage(100, 0.01) }],
        minute(2),
      );
      // The shell dies here, with #2 started and its result unrecorded.
      expect(nextWork(workflow, state, minute(30))).toEqual({
        kind: 'batch',
        stage: 'outline',
        items: [2, 3],
        resumed: [2],
      });
      const run = runLoop(workflow, state, doneEverywhere, { clock: { n: 30 } });
      const outlineCalls = run.calls.filter((c) => c.stage === 'outline').map((c) => c.item);
      expect(outlineCalls).toEqual([2, 3]);
      expect(run.state.current?.stages.outline?.done).toEqual([1, 2, 3]);
    });

    it('a new sweep over the same items goes on from where their runs stand', async () => {
      const workflow = await pipeline({ batch_size: 5 });
      const state = started(workflow, [
        { number: 1, run: { stage: 'edit', status: 'awaiting_approval' } },
        { number: 2, run: { stage: 'draft', status: 'failed' } },
        { number: 3 },
      ]);
      const run = runLoop(workflow, state, doneEverywhere);
      expect(run.calls).toEqual([
        { stage: 'outline', item: 3 },
        { stage: 'draft', item: 2 },
        { stage: 'draft', item: 3 },
        { stage: 'edit', item: 2 },
        { stage: 'edit', item: 3 },
      ]);
    });
  });

  it('says wait-human when items wait at a stage a person does', async () => {
    const workflow = await manualStage({ batch_size: 5 });
    const run = runLoop(workflow, started(workflow, [1, 2]), (stage) => ({
      outcome: 'done',
      usage: usage(stage.length, 0),
    }));
    expect(run.end).toEqual({ kind: 'wait-human', waiting: [{ stage: 'write', items: [1, 2] }] });
  });

  it('says done when there is no sweep', async () => {
    const workflow = await pipeline();
    expect(nextWork(workflow, emptySweepState('content'), minute(0))).toEqual({ kind: 'done' });
  });

  it('says paused for a paused or pausing sweep, with the reason', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1]);
    for (const status of ['paused', 'stopping'] as const) {
      const paused = patchSweep(state, { status, reason: 'paused by @bob' });
      expect(nextWork(workflow, paused, minute(1))).toEqual({ kind: 'paused', reason: 'paused by @bob' });
    }
  });

  it('says stopped for a failed sweep, and for one its budget stopped', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1]);
    const failed = patchSweep(state, { status: 'failed' as const, reason: 'why' });
    expect(nextWork(workflow, failed, minute(1))).toEqual({
      kind: 'stopped',
      status: 'failed',
      reason: 'why',
    });
  });

  it('stops a running sweep whose spending already reaches the budget', async () => {
    const workflow = await pipeline({ budget: { max_tokens: 40_000 } });
    const state = started(workflow, [1]);
    const spent = patchSweep(state, { spend: { tokens: 40_000, cost_usd: 1 } });
    const work = nextWork(workflow, spent, minute(1));
    expect(work).toEqual({
      kind: 'stopped',
      status: 'budget_stopped',
      reason:
        'the sweep has used 40,000 tokens, reaching its budget of 40,000 (on.schedule.budget.max_tokens)',
    });
    expect(settleSweep(spent, work, minute(2)).current).toMatchObject({
      status: 'budget_stopped',
      finished_at: minute(2),
    });
  });

  it('changes nothing: asking twice gives the same answer', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1, 2, 3]);
    const copy = structuredClone(state);
    expect(nextWork(workflow, state, minute(1))).toEqual(nextWork(workflow, state, minute(9)));
    expect(state).toEqual(copy);
  });
});

describe('startBatch', () => {
  it('moves the items to started, starts the stage clock and names the current item', async () => {
    const workflow = await pipeline({ batch_size: 2 });
    const state = started(workflow, [1, 2, 3]);
    const work = nextWork(workflow, state, minute(1));
    if (work.kind !== 'batch') throw new Error('expected a batch');
    const next = startBatch(workflow, state, work, minute(1));
    expect(next.current?.stages.outline).toMatchObject({
      pending: [3],
      started: [1, 2],
      started_at: minute(1),
      clock_at: minute(1),
      batches: 1,
    });
    expect(next.current?.current).toEqual({ stage: 'outline', item: 1 });
    expect(next.events.at(-1)).toMatchObject({ stage: 'outline', what: 'batch 1 started: #1, #2' });
  });

  it.each([
    [
      { kind: 'batch', stage: 'outline', items: [9], resumed: [] },
      'may only hold items pending or started there; #9',
    ],
    [{ kind: 'batch', stage: 'outline', items: [], resumed: [] }, 'the batch is empty'],
    [{ kind: 'batch', stage: 'polish', items: [1], resumed: [] }, 'the workflow has no stage "polish"'],
  ] as const)('refuses %j', async (work, message) => {
    const workflow = await pipeline();
    const state = started(workflow, [1]);
    expect(() =>
      startBatch(workflow, state, { ...work, items: [...work.items], resumed: [] }, minute(1)),
    ).toThrow(message);
  });

  it('lets the shell say which item of the batch it works on now', async () => {
    const workflow = await pipeline({ batch_size: 2 });
    const state = started(workflow, [1, 2, 3]);
    const work = nextWork(workflow, state, minute(1));
    if (work.kind !== 'batch') throw new Error('expected a batch');
    const batch = startBatch(workflow, state, work, minute(1));
    expect(setCurrentItem(batch, 'outline', 2, minute(2)).current?.current).toEqual({
      stage: 'outline',
      item: 2,
    });
    expect(() => setCurrentItem(batch, 'outline', 3, minute(2))).toThrow(
      '#3 is not started at stage "outline": it cannot be the current item',
    );
  });

  it('refuses to start a batch in a paused sweep', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1]);
    const paused = patchSweep(state, { status: 'paused' as const });
    expect(() =>
      startBatch(workflow, paused, { kind: 'batch', stage: 'outline', items: [1], resumed: [] }, minute(1)),
    ).toThrow('sweep sweep-1 is paused: only a running sweep starts batches');
  });
});
