import { describe, expect, it } from 'vitest';
import {
  acquireLease,
  emptySweepState,
  placeItem,
  type StartSweepParams,
  SweepInputError,
  startSweep,
} from '../../../src/core/sweep/index.ts';
import {
  doneEverywhere,
  HOLDER,
  leased,
  manualStage,
  minute,
  patchSweep,
  pipeline,
  runLoop,
  started,
} from './support.ts';

function params(overrides: Partial<StartSweepParams> = {}): StartSweepParams {
  return {
    id: 'sweep-2',
    now: minute(0),
    holder: HOLDER,
    trigger: 'run-now',
    actor: 'alice',
    items: [{ number: 1 }, { number: 2 }],
    ...overrides,
  };
}

describe('placeItem', () => {
  it.each([
    ['no run', undefined, { list: 'pending', stage: 'outline' }],
    ['a run that completed', { stage: 'ready', status: 'completed' }, { list: 'completed' }],
    ['a run at the terminal stage', { stage: 'ready', status: 'running' }, { list: 'completed' }],
    [
      'a cancelled run',
      { stage: 'draft', status: 'cancelled' },
      { list: 'skipped', stage: 'draft', reason: 'its run was cancelled' },
    ],
    [
      'a run a person paused',
      { stage: 'draft', status: 'paused' },
      { list: 'skipped', stage: 'draft', reason: 'its run is paused (/resume on the item goes on)' },
    ],
    [
      'a run at a stage the workflow lost',
      { stage: 'polish', status: 'running' },
      {
        list: 'skipped',
        stage: 'outline',
        reason: 'its run is at stage "polish", which the workflow no longer has',
      },
    ],
    ['a failed run', { stage: 'draft', status: 'failed' }, { list: 'pending', stage: 'draft' }],
    ['a running run', { stage: 'draft', status: 'running' }, { list: 'pending', stage: 'draft' }],
    [
      'a run waiting for its AI approver',
      { stage: 'draft', status: 'awaiting_approval' },
      { list: 'pending', stage: 'draft' },
    ],
    [
      "a run waiting at a person's gate",
      { stage: 'edit', status: 'awaiting_approval' },
      { list: 'waiting', stage: 'edit' },
    ],
    [
      "a run still working at a person's gate stage",
      { stage: 'edit', status: 'running' },
      { list: 'pending', stage: 'edit' },
    ],
  ] as const)('puts an item with %s at %j', async (_, run, placement) => {
    const workflow = await pipeline();
    expect(placeItem(workflow, run === undefined ? { number: 1 } : { number: 1, run })).toEqual(placement);
  });

  it('puts an item whose run is at a stage a person does in its waiting list', async () => {
    const workflow = await manualStage();
    expect(placeItem(workflow, { number: 1, run: { stage: 'write', status: 'running' } })).toEqual({
      list: 'waiting',
      stage: 'write',
    });
  });
});

describe('startSweep', () => {
  it('starts a running sweep with every item where its run stands, and logs it', async () => {
    const workflow = await pipeline();
    const result = startSweep(
      workflow,
      leased(workflow),
      params({
        items: [
          { number: 4 },
          { number: 5, run: { stage: 'draft', status: 'failed' } },
          { number: 6, run: { stage: 'edit', status: 'awaiting_approval' } },
          { number: 7, run: { stage: 'ready', status: 'completed' } },
        ],
      }),
    );
    if (!result.ok) throw new Error(result.message);
    const sweep = result.state.current;
    expect(sweep).toMatchObject({
      id: 'sweep-2',
      status: 'running',
      trigger: 'run-now',
      actor: 'alice',
      selected: 4,
    });
    expect(sweep?.stages.outline?.pending).toEqual([4]);
    expect(sweep?.stages.draft?.pending).toEqual([5]);
    expect(sweep?.stages.edit?.waiting).toEqual([6]);
    expect(sweep?.completed).toEqual([7]);
    expect(result.estimate.total).toEqual({
      tokens: 4000 + 14000 * 2 + 18000 * 2,
      cost_usd: 0.005 + 0.28 + 0.18,
    });
    expect(result.state.events.at(-1)?.what).toBe(
      'sweep sweep-2 started by @alice (run now): 4 items, 2 with work; estimate 68,000 tokens, $0.4650',
    );
  });

  it('is refused while the current sweep is running, naming it', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1, 2]);
    const result = startSweep(workflow, state, params());
    expect(result).toMatchObject({
      ok: false,
      code: 'busy',
      message: 'sweep sweep-1 is still running (started 2025-06-12 02:00 UTC)',
    });
    expect(result.state.current?.id).toBe('sweep-1');
    expect(result.state.events.at(-1)?.what).toBe(
      'no sweep started: sweep sweep-1 is still running (started 2025-06-12 02:00 UTC)',
    );
  });

  it('is refused while the current sweep is paused: the schedule does not replace a paused sweep', async () => {
    const workflow = await pipeline();
    const running = started(workflow, [1, 2]);
    const state = patchSweep(running, { status: 'paused', reason: 'paused by @bob' });
    const result = startSweep(workflow, state, params());
    expect(result).toMatchObject({ ok: false, code: 'busy' });
    expect(result.ok ? '' : result.message).toContain('/resume on the dashboard goes on with it');
  });

  it('is refused when no item was selected, or none has work left', async () => {
    const workflow = await pipeline();
    expect(startSweep(workflow, leased(workflow), params({ items: [] }))).toMatchObject({
      ok: false,
      code: 'empty',
      message: 'no open item matches on.schedule.select',
    });
    const allDone = params({
      items: [
        { number: 1, run: { stage: 'ready', status: 'completed' } },
        { number: 2, run: { stage: 'edit', status: 'awaiting_approval' } },
      ],
    });
    expect(startSweep(workflow, leased(workflow), allDone)).toMatchObject({
      ok: false,
      code: 'empty',
      message: 'none of the 2 selected items has work left (completed, skipped or waiting for people)',
    });
  });

  it('is refused, with the numbers, when the estimate exceeds the budget', async () => {
    const workflow = await pipeline({ budget: { max_cost_usd: 0.5 } });
    const items = Array.from({ length: 3 }, (_, i) => ({ number: i + 1 }));
    const result = startSweep(workflow, leased(workflow), params({ items }));
    expect(result).toMatchObject({
      ok: false,
      code: 'over_budget',
      message:
        'the sweep would cost about $0.7050 (outline: 3 × $0.0050 = $0.0150; draft: 3 × $0.1400 = $0.4200; edit: 3 × $0.0900 = $0.2700), over its budget of $0.50 (on.schedule.budget.max_cost_usd)',
    });
  });

  it('starts under a budget the estimate fits, and records the budget and the estimate', async () => {
    const workflow = await pipeline({ budget: { max_cost_usd: 1, max_tokens: 200_000 } });
    const result = startSweep(workflow, leased(workflow), params());
    if (!result.ok) throw new Error(result.message);
    expect(result.state.current?.budget).toEqual({
      max_tokens: 200_000,
      max_cost_usd: 1,
      estimate: { tokens: 72_000, cost_usd: 0.47 },
    });
  });

  it('needs the lease', async () => {
    const workflow = await pipeline();
    const state = emptySweepState(workflow.name);
    expect(() => startSweep(workflow, state, params())).toThrow(
      'actions-run-100 does not hold the sweep lease: take it with acquireLease before starting a sweep',
    );
    const other = acquireLease(state, 'actions-run-999', minute(0), 60);
    if (!other.granted) throw new Error('expected the lease');
    expect(() => startSweep(workflow, other.state, params())).toThrow(SweepInputError);
  });

  it.each([
    [{ id: '' }, 'a sweep needs a non-empty id'],
    [{ id: 'sweep-1' }, 'sweep id sweep-1 was used before: each sweep needs a new id'],
    [{ items: [{ number: 3 }, { number: 3 }] }, 'item #3 is listed twice'],
    [{ items: [{ number: -3 }] }, 'item number -3 is not a positive integer'],
    [
      { items: Array.from({ length: 501 }, (_, i) => ({ number: i + 1 })) },
      'a sweep covers at most 500 items, not 501',
    ],
    [{ now: '12 June' }, 'now must be an ISO time'],
  ])('refuses the bad input %j', async (overrides, message) => {
    const workflow = await pipeline();
    const base = started(workflow, [1]);
    const ended = patchSweep(base, { status: 'completed' as const });
    expect(() => startSweep(workflow, ended, params(overrides))).toThrow(message);
  });

  it('refuses a workflow without on.schedule', async () => {
    const workflow = await pipeline();
    const unscheduled = { ...workflow, on: { ...workflow.on, schedule: undefined } };
    expect(() => startSweep(unscheduled, leased(workflow), params())).toThrow(
      'workflow "content" has no on.schedule: only a workflow with a schedule runs sweeps',
    );
  });

  it('moves an ended sweep into the past sweeps, and drops past sweeps beyond retention_days', async () => {
    const workflow = await pipeline({ retention_days: 30 });
    const first = runLoop(workflow, started(workflow, [1]), doneEverywhere).state;
    const withOld = {
      ...first,
      past: [
        {
          id: 'ancient',
          trigger: 'cron' as const,
          actor: 'schedule',
          status: 'completed' as const,
          started_at: '2025-05-01T02:00:00.000Z',
          selected: 1,
          completed: 1,
          waiting: 0,
          failed: 0,
          skipped: 0,
          spend: { tokens: 0, cost_usd: 0 },
        },
        {
          id: 'recent',
          trigger: 'cron' as const,
          actor: 'schedule',
          status: 'completed' as const,
          started_at: '2025-06-01T02:00:00.000Z',
          selected: 1,
          completed: 1,
          waiting: 0,
          failed: 0,
          skipped: 0,
          spend: { tokens: 0, cost_usd: 0 },
        },
      ],
    };
    const second = startSweep(workflow, leased(workflow, withOld), params({ items: [{ number: 2 }] }));
    if (!second.ok) throw new Error(second.message);
    expect(second.state.past.map((p) => p.id)).toEqual(['recent', 'sweep-1']);
    expect(second.state.past_trimmed).toBe(1);
    expect(second.state.past[1]).toMatchObject({
      id: 'sweep-1',
      status: 'completed',
      selected: 1,
      completed: 0,
      waiting: 1,
      run_url: 'https://github.com/acme/widgets/actions/runs/100',
      spend: { tokens: 3000, cost_usd: 0.03 },
    });
  });
});
