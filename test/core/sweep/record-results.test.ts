import { describe, expect, it } from 'vitest';
import {
  type ItemResult,
  nextWork,
  recordResults,
  type SweepState,
  startBatch,
} from '../../../src/core/sweep/index.ts';
import type { Workflow } from '../../../src/core/workflow.ts';
import {
  loop,
  manualStage,
  minute,
  patchSweep,
  pipeline,
  type ScheduleOptions,
  started,
  usage,
} from './support.ts';

/** A sweep over `items` with its first batch started at minute 1. */
async function inBatch(
  items: number[],
  options: ScheduleOptions = {},
  load: (o: ScheduleOptions) => Promise<Workflow> = pipeline,
): Promise<{ workflow: Workflow; state: SweepState; stage: string }> {
  const workflow = await load({ batch_size: 10, ...options });
  const state = started(workflow, items);
  const work = nextWork(workflow, state, minute(1));
  if (work.kind !== 'batch') throw new Error('expected a batch');
  return { workflow, state: startBatch(workflow, state, work, minute(1)), stage: work.stage };
}

describe('recordResults', () => {
  it('moves a done item on to the next stage and counts its spending everywhere', async () => {
    const { workflow, state } = await inBatch([1, 2]);
    const next = recordResults(
      workflow,
      state,
      'outline',
      [{ item: 1, outcome: 'done', usage: usage(4000, 0.004) }],
      minute(3),
    );
    const sweep = next.current;
    expect(sweep?.stages.outline).toMatchObject({
      started: [2],
      done: [1],
      seconds: 120,
      clock_at: minute(3),
    });
    expect(sweep?.stages.outline?.spend).toEqual({ tokens: 4000, cost_usd: 0.004 });
    expect(sweep?.stages.draft?.pending).toEqual([1]);
    expect(sweep?.spend).toEqual({ tokens: 4000, cost_usd: 0.004 });
    expect(sweep?.items).toEqual({ 1: [4000, 0.004] });
    expect(sweep?.current).toEqual({ stage: 'outline', item: 2 });
    expect(next.events.at(-1)).toMatchObject({
      stage: 'outline',
      item: 1,
      what: '#1 done (4000 tokens, $0.0040) → draft',
    });
  });

  it('shares the time among the results and learns per-stage averages', async () => {
    const { workflow, state } = await inBatch([1, 2]);
    const next = recordResults(
      workflow,
      state,
      'outline',
      [
        { item: 1, outcome: 'done', usage: usage(4000, 0.004) },
        { item: 2, outcome: 'done', usage: usage(2000, 0.002) },
      ],
      minute(5),
    );
    expect(next.averages.outline).toEqual({ samples: 2, tokens: 3000, cost_usd: 0.003, seconds: 120 });
    expect(next.current?.stages.outline?.finished_at).toBe(minute(5));
    expect(next.current?.current).toBeUndefined();
  });

  it("leaves an item waiting at a person's gate", async () => {
    const workflow = await pipeline({ batch_size: 10 });
    let state = started(workflow, [{ number: 1, run: { stage: 'edit', status: 'running' } }]);
    const work = nextWork(workflow, state, minute(1));
    if (work.kind !== 'batch') throw new Error('expected a batch');
    state = startBatch(workflow, state, work, minute(1));
    const next = recordResults(
      workflow,
      state,
      'edit',
      [{ item: 1, outcome: 'waiting', usage: usage(10, 0) }],
      minute(2),
    );
    expect(next.current?.stages.edit).toMatchObject({ started: [], waiting: [1] });
    expect(next.events.at(-1)?.what).toBe("#1 waits for a person's approval (10 tokens, $0.0000)");
  });

  it('puts an item that reaches a stage a person does in its waiting list', async () => {
    const { workflow, state } = await inBatch([1], {}, manualStage);
    const next = recordResults(workflow, state, 'plan', [{ item: 1, outcome: 'done' }], minute(2));
    expect(next.current?.stages.write?.waiting).toEqual([1]);
    expect(next.events.at(-1)?.what).toBe('#1 done, waits for a person at write');
  });

  it('counts an item that reaches a terminal stage as completed', async () => {
    const { workflow, state } = await inBatch([1], {}, loop);
    const next = recordResults(
      workflow,
      state,
      'check',
      [{ item: 1, outcome: 'done', next: 'done' }],
      minute(2),
    );
    expect(next.current?.completed).toEqual([1]);
    expect(next.events.at(-1)?.what).toBe('#1 done, finished at done');
  });

  describe('a failed item', () => {
    it('is kept with its reason, on one line and cut to 200 characters, while the sweep goes on', async () => {
      const { workflow, state } = await inBatch([1, 2]);
      const error = `the provider answered 529:\n${'overloaded '.repeat(40)}`;
      const next = recordResults(
        workflow,
        state,
        'outline',
        [{ item: 2, outcome: 'failed', error }],
        minute(2),
      );
      const [failure] = next.current?.stages.outline?.failed ?? [];
      expect(failure?.item).toBe(2);
      expect(failure?.at).toBe(minute(2));
      expect(failure?.reason).toMatch(/^the provider answered 529: overloaded overloaded/);
      expect(Array.from(failure?.reason ?? '')).toHaveLength(200);
      expect(failure?.reason.endsWith('…')).toBe(true);
      expect(next.current?.status).toBe('running');
      expect(next.averages.outline).toBeUndefined();
    });

    it('fails the sweep under on_failure: stop', async () => {
      const { workflow, state } = await inBatch([1, 2], { on_failure: 'stop' });
      const next = recordResults(
        workflow,
        state,
        'outline',
        [
          { item: 1, outcome: 'done' },
          { item: 2, outcome: 'failed', error: 'boom' },
        ],
        minute(2),
      );
      expect(next.current).toMatchObject({
        status: 'failed',
        reason: '#2 failed at outline and on_failure is stop',
        finished_at: minute(2),
      });
      expect(nextWork(workflow, next, minute(3))).toEqual({
        kind: 'stopped',
        status: 'failed',
        reason: '#2 failed at outline and on_failure is stop',
      });
    });
  });

  it('fails a pausing sweep too, under on_failure: stop', async () => {
    const { workflow, state } = await inBatch([1], { on_failure: 'stop' });
    const pausing = patchSweep(state, { status: 'stopping', reason: 'paused by @bob' });
    const next = recordResults(
      workflow,
      pausing,
      'outline',
      [{ item: 1, outcome: 'failed', error: 'boom' }],
      minute(2),
    );
    expect(next.current).toMatchObject({
      status: 'failed',
      reason: '#1 failed at outline and on_failure is stop',
    });
  });

  it('keeps a skipped item with its reason', async () => {
    const { workflow, state } = await inBatch([1]);
    const next = recordResults(
      workflow,
      state,
      'outline',
      [{ item: 1, outcome: 'skipped', reason: 'the issue was closed' }],
      minute(2),
    );
    expect(next.current?.stages.outline?.skipped).toEqual([{ item: 1, reason: 'the issue was closed' }]);
  });

  it('stops the sweep once its spending reaches the budget, with the numbers', async () => {
    const { workflow, state } = await inBatch([1, 2], { budget: { max_cost_usd: 0.5 } });
    const next = recordResults(
      workflow,
      state,
      'outline',
      [{ item: 1, outcome: 'done', usage: usage(1000, 0.5) }],
      minute(2),
    );
    expect(next.current).toMatchObject({
      status: 'budget_stopped',
      reason: 'the sweep has spent $0.5000, reaching its budget of $0.50 (on.schedule.budget.max_cost_usd)',
    });
    expect(nextWork(workflow, next, minute(3)).kind).toBe('stopped');
  });

  it('pauses a pausing sweep once its batch is recorded', async () => {
    const { workflow, state } = await inBatch([1, 2]);
    const pausing = patchSweep(state, { status: 'stopping', reason: 'paused by @bob' });
    const half = recordResults(workflow, pausing, 'outline', [{ item: 1, outcome: 'done' }], minute(2));
    expect(half.current?.status).toBe('stopping');
    const all = recordResults(workflow, half, 'outline', [{ item: 2, outcome: 'done' }], minute(3));
    expect(all.current?.status).toBe('paused');
    expect(all.events.at(-1)?.what).toBe('paused after the batch (paused by @bob)');
  });

  it('changes nothing when the same results are recorded again', async () => {
    const { workflow, state } = await inBatch([1, 2]);
    const results: ItemResult[] = [
      { item: 1, outcome: 'done', usage: usage(100, 0.001) },
      { item: 2, outcome: 'failed', error: 'boom' },
    ];
    const once = recordResults(workflow, state, 'outline', results, minute(2));
    expect(recordResults(workflow, once, 'outline', results, minute(5))).toBe(once);
  });

  it('sends an item round a loop, and takes it off the lists it had left', async () => {
    const { workflow, state } = await inBatch([1], {}, loop);
    let next = recordResults(
      workflow,
      state,
      'check',
      [{ item: 1, outcome: 'done', next: 'fix' }],
      minute(2),
    );
    expect(next.current?.stages.check?.done).toEqual([1]);
    const fix = nextWork(workflow, next, minute(3));
    if (fix.kind !== 'batch') throw new Error('expected a batch');
    next = startBatch(workflow, next, fix, minute(3));
    next = recordResults(workflow, next, 'fix', [{ item: 1, outcome: 'done' }], minute(4));
    expect(next.current?.stages.check).toMatchObject({ pending: [1], done: [] });
    expect(next.current?.stages.check?.finished_at).toBeUndefined();
  });

  describe('refuses', () => {
    it.each([
      [
        [{ item: 9, outcome: 'done' }],
        '#9 is not started at this stage: take the items of a batch from nextWork',
      ],
      [
        [
          { item: 1, outcome: 'done' },
          { item: 1, outcome: 'done' },
        ],
        '#1 has two results in one call',
      ],
      [
        [{ item: 1, outcome: 'failed', error: ' ' }],
        'the failure of #1 needs an error that says what went wrong',
      ],
      [[{ item: 1, outcome: 'skipped', reason: '' }], 'skipping #1 needs a reason'],
      [
        [{ item: 1, outcome: 'done', usage: { tokens_in: -1, tokens_out: 0, cost_usd: 0 } }],
        'the usage of #1 must be non-negative numbers',
      ],
      [
        [{ item: 1, outcome: 'done', next: 'publish' }],
        '#1 moved to "publish", a stage the workflow does not have',
      ],
    ] as [ItemResult[], string][])('%j: %s', async (results, message) => {
      const { workflow, state } = await inBatch([1]);
      expect(() => recordResults(workflow, state, 'outline', results, minute(2))).toThrow(message);
    });

    it('a done result without next at a stage with several ways out', async () => {
      const { workflow, state } = await inBatch([1], {}, loop);
      expect(() =>
        recordResults(workflow, state, 'check', [{ item: 1, outcome: 'done' }], minute(2)),
      ).toThrow(
        'stage "check" has several ways out: the result of #1 must say which stage its run moved to (next)',
      );
    });

    it('results for a stage the sweep has no items at', async () => {
      const { workflow, state } = await inBatch([1]);
      expect(() =>
        recordResults(workflow, state, 'draft', [{ item: 1, outcome: 'done' }], minute(2)),
      ).toThrow('sweep sweep-1 has no items at stage "draft"');
    });
  });
});
