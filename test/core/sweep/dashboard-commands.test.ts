import { describe, expect, it } from 'vitest';
import {
  applyDashboardComments,
  type DashboardComment,
  dashboardHelp,
  emptySweepState,
  nextWork,
  recordResults,
  type SweepState,
  startBatch,
} from '../../../src/core/sweep/index.ts';
import type { Workflow } from '../../../src/core/workflow.ts';
import { doneEverywhere, minute, patchSweep, pipeline, runLoop, started } from './support.ts';

let nextId = 1000;

function comment(body: string, overrides: Partial<DashboardComment> = {}): DashboardComment {
  nextId += 1;
  return { id: nextId, author: 'bob', body, created_at: minute(3), permission: 'write', ...overrides };
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
      {
        comment_id: expect.any(Number),
        line: 1,
        command: 'pause',
        known: true,
        applied: true,
        reply: false, // the +1 reaction says it
        message: 'Sweep `sweep-1` is paused; `/resume` goes on with it.',
      },
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
    expect(outcomes[0]).toMatchObject({
      applied: true,
      reply: true, // not at once: the reply says when
      message: 'Sweep `sweep-1` pauses once the batch in flight (#1, #2) is done; `/resume` goes on with it.',
    });
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
      reply: true,
      message: 'Sweep `sweep-1` is already paused; `/resume` goes on with it.',
    });
    const done = patchSweep(state, { status: 'completed', finished_at: minute(2) });
    expect(applyDashboardComments(workflow, done, [comment('/pause')], minute(3)).outcomes[0]).toMatchObject({
      applied: false,
      reply: true,
      message:
        'Nothing is running: sweep `sweep-1` completed 2025-06-12 02:02 UTC, so there is nothing to pause. The next sweep starts on schedule, or with a run now of the sweep workflow.',
    });
    const failed = patchSweep(state, { status: 'failed', finished_at: minute(2) });
    expect(
      applyDashboardComments(workflow, failed, [comment('/pause')], minute(3)).outcomes[0]?.message,
    ).toContain('sweep `sweep-1` failed 2025-06-12 02:02 UTC; `/resume` tries its failed items again');
    expect(
      applyDashboardComments(workflow, emptySweepState('content'), [comment('/pause')], minute(3))
        .outcomes[0],
    ).toMatchObject({
      applied: false,
      reply: true,
      message: 'No sweep has run yet: there is nothing to pause.',
    });
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
    expect(outcomes[0]).toMatchObject({ applied: true, reply: false, message: 'Sweep `sweep-1` goes on.' });
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
    expect(outcomes[0]).toMatchObject({
      applied: true,
      reply: true,
      message: 'Sweep `sweep-1` goes on; failed items are tried again: #2.',
    });
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
    expect(outcomes[0]).toMatchObject({
      applied: true,
      reply: true,
      message:
        'Sweep `sweep-1` goes on, but it stops again at once: the sweep has spent $1.0000, reaching its budget of $1.00 (on.schedule.budget.max_cost_usd). Raise `on.schedule.budget` first, then `/resume`.',
    });
    expect(nextWork(workflow, resumed, minute(4)).kind).toBe('stopped');
  });

  it('answers for a running or completed sweep without changing it', async () => {
    const { workflow, state } = await runningSweep();
    expect(
      applyDashboardComments(workflow, state, [comment('/resume')], minute(3)).outcomes[0],
    ).toMatchObject({
      applied: false,
      reply: true,
      message: 'Sweep `sweep-1` is running, not paused: there is nothing to resume.',
    });
    const done = patchSweep(state, { status: 'completed', finished_at: minute(2) });
    expect(applyDashboardComments(workflow, done, [comment('/resume')], minute(3)).outcomes[0]?.message).toBe(
      'Sweep `sweep-1` completed 2025-06-12 02:02 UTC: there is nothing to resume. The next sweep starts on schedule, or with a run now of the sweep workflow.',
    );
    expect(
      applyDashboardComments(workflow, emptySweepState('content'), [comment('/resume')], minute(3))
        .outcomes[0]?.message,
    ).toBe('No sweep has run yet: there is nothing to resume.');
  });
});

describe('dashboard comments', () => {
  it.each([
    ['read', 'pause'],
    ['triage', 'resume'],
    ['none', 'pause'],
  ] as const)(
    'from someone with %s permission are answered with the permission needed, not applied (/%s)',
    async (permission, command) => {
      const { workflow, state } = await runningSweep();
      const paused = command === 'resume' ? patchSweep(state, { status: 'paused' }) : state;
      const { state: next, outcomes } = applyDashboardComments(
        workflow,
        paused,
        [comment(`/${command}`, { author: 'reader', permission })],
        minute(3),
      );
      expect(next.current?.status).toBe(paused.current?.status);
      expect(outcomes[0]).toMatchObject({
        known: true,
        applied: false,
        reply: true,
        message: `@reader cannot ${command} sweeps: it needs write permission, and @reader has ${permission}. Who may pause, resume or retry sweeps: anyone with write permission on this repository.`,
      });
    },
  );

  it.each(['write', 'maintain', 'admin'] as const)(
    'from someone with %s permission are applied',
    async (permission) => {
      const { workflow, state } = await runningSweep();
      const { state: next } = applyDashboardComments(
        workflow,
        state,
        [comment('/pause', { permission })],
        minute(3),
      );
      expect(next.current?.status).toBe('paused');
    },
  );

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
        known: false,
        applied: false,
        reply: true,
        message: '"/pasue" is not a flowgate command (did you mean "/pause"?)',
      }),
      expect.objectContaining({
        command: 'approve',
        known: true,
        reply: true,
        message:
          "`/approve` decides the gate of one item's run: comment it on that item's issue or pull request, not on this dashboard. No item of this sweep waits for people now. This dashboard takes `/pause [stage]`, `/resume [stage]`, `/retry failed [stage]`, `/status` and `/flowgate help`.",
      }),
      expect.objectContaining({
        command: 'start',
        message:
          '`/flowgate start` starts a run on the issue or pull request it is commented on. A sweep of `content` starts on schedule, or with a run now of the sweep workflow. This dashboard takes `/pause [stage]`, `/resume [stage]`, `/retry failed [stage]`, `/status` and `/flowgate help`.',
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

describe('commands that belong on an item, posted on the dashboard', () => {
  it('say where to post them, and which items of the sweep they could be meant for', async () => {
    const workflow = await pipeline({ batch_size: 5 });
    const run = runLoop(workflow, started(workflow, [1, 2, 3]), (stage, item) =>
      item === 3 && stage === 'draft'
        ? { outcome: 'failed', error: 'rate limited' }
        : doneEverywhere(stage, item),
    );
    const { outcomes } = applyDashboardComments(
      workflow,
      run.state,
      [comment('/approve looks good\n/retry\n/cancel\n/flowgate goto edit')],
      minute(90),
    );
    expect(outcomes.map((o) => [o.command, o.known, o.applied, o.reply, o.message])).toEqual([
      [
        'approve',
        true,
        false,
        true,
        "`/approve` decides the gate of one item's run: comment it on that item's issue or pull request, not on this dashboard. Items of this sweep waiting for people: #1, #2 (at edit). This dashboard takes `/pause [stage]`, `/resume [stage]`, `/retry failed [stage]`, `/status` and `/flowgate help`.",
      ],
      [
        'retry',
        true,
        false,
        true,
        "`/retry` runs one item's stage again: comment it on that item's issue or pull request, not on this dashboard; here, `/retry failed [stage]` tries the sweep's failed items (of that stage) again. Failed items of this sweep: #3 (at draft); the next sweep takes them up again. This dashboard takes `/pause [stage]`, `/resume [stage]`, `/retry failed [stage]`, `/status` and `/flowgate help`.",
      ],
      [
        'cancel',
        true,
        false,
        true,
        "`/cancel` ends one item's run: comment it on that item's issue or pull request. To stop the sweep, comment `/pause` here.",
      ],
      [
        'goto',
        true,
        false,
        true,
        "`/flowgate goto` moves one item's run: comment it on that item's issue or pull request. This dashboard takes `/pause [stage]`, `/resume [stage]`, `/retry failed [stage]`, `/status` and `/flowgate help`.",
      ],
    ]);
  });

  it('with arguments they cannot take are answered as the app answers them, without a reaction', async () => {
    const { workflow, state } = await runningSweep();
    const { outcomes } = applyDashboardComments(workflow, state, [comment('/reject')], minute(3));
    expect(outcomes).toEqual([
      expect.objectContaining({ command: '/reject', known: false, applied: false, reply: true }),
    ]);
    expect(outcomes[0]?.message).toMatch(/reason/);
  });
});

describe('/status and /flowgate help on the dashboard', () => {
  it('/status says where the sweep stands', async () => {
    const { workflow, state } = await runningSweep();
    const paused = applyDashboardComments(
      workflow,
      state,
      [comment('/pause for the @team | <b>')],
      minute(3),
    );
    const { state: next, outcomes } = applyDashboardComments(
      workflow,
      paused.state,
      [comment('/status')],
      minute(4),
    );
    expect(next.current).toEqual(paused.state.current);
    expect(outcomes[0]).toMatchObject({
      command: 'status',
      known: true,
      applied: false,
      reply: true,
      message:
        'Sweep `sweep-1` is paused (paused by @&#8203;bob: for the @&#8203;team &#124; &lt;b&gt;): 0 of 9 stage runs done (0%); 0 tokens, $0.0000 spent. Next scheduled run: 2025-06-13 02:00 UTC (in 23h 56m). The dashboard above has the details.',
    });
    expect(
      applyDashboardComments(workflow, emptySweepState('content'), [comment('/status')], minute(3))
        .outcomes[0]?.message,
    ).toBe('No sweep has run yet. The next one starts on schedule, or with a run now of the sweep workflow.');
  });

  it('/flowgate help lists the dashboard commands', async () => {
    const { workflow, state } = await runningSweep();
    const { outcomes } = applyDashboardComments(workflow, state, [comment('/flowgate help')], minute(3));
    expect(outcomes[0]?.message).toBe(dashboardHelp());
    expect(dashboardHelp()).toContain('- `/pause [note]`: pause the sweep (after the batch in flight)');
  });
});

describe('a dashboard comment with an unknown permission', () => {
  it('is refused as a shell bug', async () => {
    const { workflow, state } = await runningSweep();
    expect(() =>
      applyDashboardComments(
        workflow,
        state,
        [comment('/pause', { permission: 'owner' as DashboardComment['permission'] })],
        minute(3),
      ),
    ).toThrow('has permission "owner": it must be none, read, triage, write, maintain, admin');
  });
});
