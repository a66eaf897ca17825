import { describe, expect, it } from 'vitest';
import {
  applyDashboardComments,
  type DashboardComment,
  emptySweepState,
  nextWork,
  recordResults,
  type SweepState,
  startBatch,
} from '../../../src/core/sweep/index.ts';
import type { Workflow } from '../../../src/core/workflow.ts';
import { minute, patchSweep, pipeline, runLoop, started } from './support.ts';

let nextId = 1000;

function comment(body: string, overrides: Partial<DashboardComment> = {}): DashboardComment {
  nextId += 1;
  return { id: nextId, author: 'bob', body, created_at: minute(3), allowed: true, ...overrides };
}

async function runningSweep(): Promise<{ workflow: Workflow; state: SweepState }> {
  const workflow = await pipeline({ batch_size: 2 });
  return { workflow, state: started(workflow, [1, 2, 3]) };
}

/** A sweep with its first batch in flight. */
async function inFlight(): Promise<{ workflow: Workflow; state: SweepState }> {
  const { workflow, state } = await runningSweep();
  const work = nextWork(workflow, state, minute(1));
  if (work.kind !== 'batch') throw new Error('expected a batch');
  return { workflow, state: startBatch(workflow, state, work, minute(1)) };
}

describe('/pause', () => {
  it('pauses a sweep between batches at once', async () => {
    const { workflow, state } = await runningSweep();
    const { state: next, outcomes } = applyDashboardComments(workflow, state, [comment('/pause')], minute(3));
    expect(next.current).toMatchObject({ status: 'paused', reason: 'paused by @bob' });
    expect(nextWork(workflow, next, minute(4))).toEqual({ kind: 'paused', reason: 'paused by @bob' });
    expect(outcomes).toEqual([
      expect.objectContaining({
        command: 'pause',
        applied: true,
        message: 'sweep sweep-1 is paused; /resume goes on',
      }),
    ]);
    expect(next.events.at(-1)).toMatchObject({ actor: 'bob', what: 'paused by @bob' });
  });

  it('lets the batch in flight finish, then pauses', async () => {
    const { workflow, state } = await inFlight();
    const { state: pausing, outcomes } = applyDashboardComments(
      workflow,
      state,
      [comment('/pause until the new model is out')],
      minute(2),
    );
    expect(pausing.current).toMatchObject({
      status: 'stopping',
      reason: 'paused by @bob: until the new model is out',
    });
    expect(outcomes[0]?.message).toBe('sweep sweep-1 pauses after the batch in flight; /resume goes on');
    const recorded = recordResults(
      workflow,
      pausing,
      'outline',
      [
        { item: 1, outcome: 'done' },
        { item: 2, outcome: 'done' },
      ],
      minute(3),
    );
    expect(recorded.current?.status).toBe('paused');
  });

  it('answers without changing anything when the sweep is already paused, or has ended', async () => {
    const { workflow, state } = await runningSweep();
    const paused = patchSweep(state, { status: 'paused', reason: 'paused by @carol' });
    expect(
      applyDashboardComments(workflow, paused, [comment('/pause')], minute(3)).outcomes[0],
    ).toMatchObject({
      applied: false,
      message: 'sweep sweep-1 is already paused',
    });
    const done = patchSweep(state, { status: 'completed' });
    expect(applyDashboardComments(workflow, done, [comment('/pause')], minute(3)).outcomes[0]).toMatchObject({
      applied: false,
      message: 'sweep sweep-1 is not running (completed)',
    });
    expect(
      applyDashboardComments(workflow, emptySweepState('content'), [comment('/pause')], minute(3))
        .outcomes[0],
    ).toMatchObject({ applied: false, message: 'no sweep has run yet' });
  });
});

describe('/resume', () => {
  it('goes on with a paused sweep where it stopped', async () => {
    const { workflow, state } = await runningSweep();
    const paused = applyDashboardComments(workflow, state, [comment('/pause')], minute(3)).state;
    const { state: resumed, outcomes } = applyDashboardComments(
      workflow,
      paused,
      [comment('/resume')],
      minute(9),
    );
    expect(resumed.current?.status).toBe('running');
    expect(resumed.current?.reason).toBeUndefined();
    expect(outcomes[0]).toMatchObject({ applied: true, message: 'sweep sweep-1 goes on' });
    expect(nextWork(workflow, resumed, minute(10))).toEqual({
      kind: 'batch',
      stage: 'outline',
      items: [1, 2],
      resumed: [],
    });
  });

  it('goes on with a failed sweep, trying its failed items again', async () => {
    const workflow = await pipeline({ batch_size: 2, on_failure: 'stop' });
    const run = runLoop(workflow, started(workflow, [1, 2, 3]), (_stage, item) =>
      item === 2 ? { outcome: 'failed', error: 'rate limited' } : { outcome: 'done' },
    );
    expect(run.state.current?.status).toBe('failed');
    const { state, outcomes } = applyDashboardComments(workflow, run.state, [comment('/resume')], minute(50));
    expect(outcomes[0]?.message).toBe('sweep sweep-1 goes on; failed items are tried again: #2');
    expect(state.current).toMatchObject({ status: 'running' });
    expect(state.current?.finished_at).toBeUndefined();
    expect(state.current?.stages.outline?.failed).toEqual([]);
    expect(nextWork(workflow, state, minute(51))).toMatchObject({
      kind: 'batch',
      stage: 'outline',
      items: [2, 3],
    });
  });

  it('goes on with a sweep its budget stopped, warning when the budget still is not raised', async () => {
    const workflow = await pipeline({ budget: { max_cost_usd: 1 } });
    const state = patchSweep(started(workflow, [1]), {
      status: 'budget_stopped',
      reason: 'budget',
      spend: { tokens: 5, cost_usd: 1 },
    });
    const { state: resumed, outcomes } = applyDashboardComments(
      workflow,
      state,
      [comment('/resume')],
      minute(3),
    );
    expect(outcomes[0]?.message).toBe(
      'sweep sweep-1 goes on; it stops again at once: the sweep has spent $1.0000, reaching its budget of $1.00 (on.schedule.budget.max_cost_usd); raise on.schedule.budget first',
    );
    expect(nextWork(workflow, resumed, minute(4)).kind).toBe('stopped');
  });

  it('answers for a running or completed sweep without changing it', async () => {
    const { workflow, state } = await runningSweep();
    expect(
      applyDashboardComments(workflow, state, [comment('/resume')], minute(3)).outcomes[0],
    ).toMatchObject({
      applied: false,
      message: 'sweep sweep-1 is running',
    });
    const done = patchSweep(state, { status: 'completed', finished_at: minute(2) });
    expect(applyDashboardComments(workflow, done, [comment('/resume')], minute(3)).outcomes[0]?.message).toBe(
      'sweep sweep-1 completed 2025-06-12 02:02 UTC; the next sweep starts on schedule or with a run now',
    );
  });
});

describe('dashboard comments', () => {
  it('from someone who may not steer sweeps are answered, not applied', async () => {
    const { workflow, state } = await runningSweep();
    const { state: next, outcomes } = applyDashboardComments(
      workflow,
      state,
      [comment('/pause', { author: 'reader', allowed: false })],
      minute(3),
    );
    expect(next.current?.status).toBe('running');
    expect(outcomes[0]).toMatchObject({
      applied: false,
      message: '@reader may not pause sweeps: it takes write permission on the repository',
    });
  });

  it('are applied once: a comment at or below the cursor changes nothing', async () => {
    const { workflow, state } = await runningSweep();
    const pause = comment('/pause');
    const resume = comment('/resume');
    const once = applyDashboardComments(workflow, state, [resume, pause], minute(3));
    expect(once.state.current?.status).toBe('running'); // /pause, then /resume, in id order
    expect(once.state.cursor).toBe(resume.id);
    const again = applyDashboardComments(workflow, once.state, [pause, resume], minute(4));
    expect(again).toEqual({ state: once.state, outcomes: [] });
  });

  it('answer other commands and near misses with what the dashboard takes', async () => {
    const { workflow, state } = await runningSweep();
    const { outcomes } = applyDashboardComments(
      workflow,
      state,
      [comment('/approve\n/pasue\n/flowgate start x')],
      minute(3),
    );
    expect(outcomes).toEqual([
      expect.objectContaining({
        command: 'pasue',
        applied: false,
        message: expect.stringContaining('did you mean "/pause"'),
      }),
      expect.objectContaining({
        command: 'approve',
        message:
          "the dashboard takes /pause and /resume; /approve works on an item's own issue or pull request",
      }),
      expect.objectContaining({
        command: 'start',
        message:
          "the dashboard takes /pause and /resume; /flowgate start works on an item's own issue or pull request",
      }),
    ]);
  });

  it('ignore commands inside quotes and code', async () => {
    const { workflow, state } = await runningSweep();
    const { state: next, outcomes } = applyDashboardComments(
      workflow,
      state,
      [comment('> /pause\n\n```\n/pause\n```')],
      minute(3),
    );
    expect(outcomes).toEqual([]);
    expect(next.current?.status).toBe('running');
  });

  it('with a bad id or time are refused', async () => {
    const { workflow, state } = await runningSweep();
    expect(() => applyDashboardComments(workflow, state, [comment('/pause', { id: 0 })], minute(3))).toThrow(
      'a dashboard comment has id 0: it must be a positive integer',
    );
    expect(() =>
      applyDashboardComments(workflow, state, [comment('/pause', { created_at: 'later' })], minute(3)),
    ).toThrow('must be an ISO time');
  });
});
