import { describe, expect, it } from 'vitest';
import {
  applyDashboardComments,
  type DashboardComment,
  nextWork,
  renderDashboard,
  type SweepState,
  scheduleOf,
} from '../../../src/core/sweep/index.ts';
import { nextScheduledRun } from '../../../src/core/sweep/next-scheduled-run.ts';
import type { Workflow } from '../../../src/core/workflow.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import { doneEverywhere, KEY, leased, minute, pipeline, runLoop, started } from './support.ts';

let nextId = 5000;

function comment(body: string, overrides: Partial<DashboardComment> = {}): DashboardComment {
  nextId += 1;
  return { id: nextId, author: 'bob', body, created_at: minute(3), permission: 'write', ...overrides };
}

/** The pipeline (outline -> draft -> edit) with `batch_size` on some stages. */
async function sized(
  sweep: number,
  stages: Record<string, number>,
  strategy: 'stage-by-stage' | 'item-by-item' = 'stage-by-stage',
): Promise<Workflow> {
  const workflow = await pipeline({ batch_size: sweep, strategy });
  return {
    ...workflow,
    stages: workflow.stages.map((s) => (stages[s.id] === undefined ? s : { ...s, batch_size: stages[s.id] })),
  };
}

function say(workflow: Workflow, state: SweepState, body: string, overrides: Partial<DashboardComment> = {}) {
  const { state: next, outcomes } = applyDashboardComments(
    workflow,
    state,
    [comment(body, overrides)],
    minute(30),
  );
  return { state: next, outcome: outcomes[0] };
}

describe('batch_size per stage', () => {
  it('sizes the batches of that stage, the others take the sweep’s (stage by stage)', async () => {
    const workflow = await sized(3, { draft: 1 });
    const { batches } = runLoop(workflow, started(workflow, [1, 2, 3, 4]), doneEverywhere);
    expect(batches.map((b) => `${b.stage} ${b.items.join(',')}`)).toEqual([
      'outline 1,2,3',
      'outline 4',
      'draft 1',
      'draft 2',
      'draft 3',
      'draft 4',
      'edit 1,2,3',
      'edit 4',
    ]);
  });

  it('caps the stage’s batch within the items an item-by-item sweep works on', async () => {
    const workflow = await sized(2, { draft: 1 }, 'item-by-item');
    const { batches } = runLoop(workflow, started(workflow, [1, 2, 3]), doneEverywhere);
    expect(batches.map((b) => `${b.stage} ${b.items.join(',')}`)).toEqual([
      'outline 1,2',
      'draft 1',
      'draft 2',
      'edit 1,2',
      'outline 3',
      'draft 3',
      'edit 3',
    ]);
  });

  it('shows on the dashboard where a stage’s size differs from the sweep’s', async () => {
    const workflow = await sized(3, { draft: 1, edit: 3 });
    const body = renderDashboard(workflow, started(workflow, [1]), minute(1), { key: KEY, repoId: REPO_ID });
    expect(body).toContain('· batches of 3 (draft: 1) ·');
  });
});

describe('the next scheduled run', () => {
  it('is the earliest next time of the cron lines, in UTC, with days of the month OR of the week', async () => {
    const base = await pipeline();
    const withCron = (cron: string[]) => ({
      ...base,
      on: { ...base.on, schedule: { ...scheduleOf(base), cron } },
    });
    // 2025-06-12 is a Thursday.
    expect(nextScheduledRun(withCron(['0 2 * * *']), '2025-06-12T02:00:00Z')).toBe(
      '2025-06-13T02:00:00.000Z',
    );
    expect(nextScheduledRun(withCron(['0 2 * * *', '*/15 1 * * 4']), '2025-06-12T01:20:00Z')).toBe(
      '2025-06-12T01:30:00.000Z',
    );
    expect(nextScheduledRun(withCron(['0 3 20 * 1']), '2025-06-12T02:00:00Z')).toBe(
      '2025-06-16T03:00:00.000Z',
    );
    expect(nextScheduledRun(withCron(['0 0 30 2 *']), '2025-06-12T02:00:00Z')).toBeUndefined();
  });

  it('is on the dashboard, with how long until then', async () => {
    const workflow = await pipeline();
    const body = renderDashboard(workflow, leased(workflow), minute(5), { key: KEY, repoId: REPO_ID });
    expect(body).toContain('**Next scheduled run:** 2025-06-13 02:00 UTC (in 23h 55m)');
  });
});

describe('/pause <stage> and /resume <stage>', () => {
  it('holds the stage across sweeps while the others go on, and lets it go again', async () => {
    const workflow = await pipeline({ batch_size: 2 });
    const paused = say(workflow, started(workflow, [1, 2, 3]), '/pause draft the editor model is down');
    expect(paused.outcome).toMatchObject({ applied: true, reply: true, command: 'pause' });
    expect(paused.outcome?.message).toBe(
      'Stage `draft` is paused now: no sweep starts a batch there until `/resume draft`; the other stages go on, and items that reach `draft` wait there.',
    );
    expect(paused.state.paused_stages).toEqual({
      draft: { by: 'bob', at: minute(30), note: 'the editor model is down' },
    });
    expect(paused.state.current?.status).toBe('running');

    const loop = runLoop(workflow, paused.state, doneEverywhere, { clock: { n: 31 } });
    expect(loop.calls.map((c) => c.stage)).toEqual(['outline', 'outline', 'outline']);
    expect(loop.end).toEqual({ kind: 'held', held: [{ stage: 'draft', items: [1, 2, 3] }], waiting: [] });
    expect(loop.state.current?.status).toBe('completed');
    expect(loop.state.events.at(-1)?.what).toContain('3 held at paused stages draft');
    const body = renderDashboard(workflow, loop.state, minute(60), { key: KEY, repoId: REPO_ID });
    expect(body).toContain(
      '**Paused stages:** draft (by @bob, 2025-06-12 02:30 UTC: the editor model is down)',
    );

    const resumed = say(workflow, loop.state, '/resume DRAFT');
    expect(resumed.outcome).toMatchObject({ applied: true, reply: true, command: 'resume' });
    expect(resumed.outcome?.message).toBe(
      'Stage `draft` goes on. Its 3 held items (#1, #2, #3) are taken up by the sweep this job starts next, which places each item where its run stands.',
    );
    expect(resumed.state.paused_stages).toBeUndefined();
  });

  it('lets a sweep that is still running take the held items up', async () => {
    const workflow = await pipeline({ batch_size: 2 });
    const paused = say(workflow, started(workflow, [1, 2]), '/pause draft');
    const afterOutline = runLoop(workflow, paused.state, doneEverywhere, { maxBatches: 1, clock: { n: 31 } });
    const resumed = say(workflow, afterOutline.state, '/resume draft');
    expect(resumed.outcome?.message).toBe(
      'Stage `draft` goes on. Sweep `sweep-1` takes its 2 held items (#1, #2) up in its next batches.',
    );
    expect(nextWork(workflow, resumed.state, minute(40))).toMatchObject({ kind: 'batch', stage: 'draft' });
  });

  it('refuses a stage the workflow does not have, listing the ones it takes', async () => {
    const workflow = await pipeline();
    const { outcome, state } = say(workflow, started(workflow, [1]), '/pause drafts');
    expect(outcome).toMatchObject({ applied: false, reply: true });
    expect(outcome?.message).toBe(
      '`/pause drafts`: workflow `content` has no stage "drafts". Stages it takes: `outline`, `draft`, `edit`. `/pause` alone pauses the whole sweep (more words after it are a note).',
    );
    expect(state.current?.status).toBe('running');
    expect(state.paused_stages).toBeUndefined();
  });

  it('refuses a stage no sweep runs batches of, and one that is not paused', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1]);
    expect(say(workflow, state, '/pause ready').outcome?.message).toBe(
      'Stage `ready` cannot be paused: items that reach it are finished. Stages `/pause <stage>` takes: `outline`, `draft`, `edit`.',
    );
    expect(say(workflow, state, '/resume edit').outcome?.message).toBe(
      'Stage `edit` is not paused: there is nothing to resume. No stage is paused.',
    );
  });

  it('keeps a note of several words a note of the whole sweep', async () => {
    const workflow = await pipeline();
    const { state } = say(workflow, started(workflow, [1]), '/pause for the release');
    expect(state.current).toMatchObject({ status: 'paused', reason: 'paused by @bob: for the release' });
    expect(state.paused_stages).toBeUndefined();
  });

  it('needs write permission', async () => {
    const workflow = await pipeline();
    const { outcome, state } = say(workflow, started(workflow, [1]), '/pause draft', {
      permission: 'triage',
    });
    expect(outcome).toMatchObject({ applied: false, reply: true });
    expect(outcome?.message).toContain('@bob cannot pause sweeps: it needs write permission');
    expect(state.paused_stages).toBeUndefined();
  });
});

describe('/retry failed [stage]', () => {
  /** A completed sweep where #2 failed at draft and #3 at outline. */
  async function withFailures() {
    const workflow = await pipeline({ batch_size: 3 });
    const loop = runLoop(workflow, started(workflow, [1, 2, 3]), (stage, item) =>
      (stage === 'draft' && item === 2) || (stage === 'outline' && item === 3)
        ? { outcome: 'failed', error: 'the model timed out' }
        : doneEverywhere(stage, item),
    );
    expect(loop.state.current?.status).toBe('completed');
    return { workflow, state: loop.state };
  }

  it('tries the stage’s failed items again: the ended sweep goes on with them', async () => {
    const { workflow, state } = await withFailures();
    const { outcome, state: next } = say(workflow, state, '/retry failed draft');
    expect(outcome).toMatchObject({ applied: true, reply: true, command: 'retry' });
    expect(outcome?.message).toBe(
      'Sweep `sweep-1` goes on: its failed items at `draft` are tried again: #2, now, by the sweep job that read this command.',
    );
    expect(next.current?.status).toBe('running');
    expect(next.current?.stages.draft).toMatchObject({ pending: [2], failed: [] });
    expect(next.current?.stages.outline?.failed.map((f) => f.item)).toEqual([3]);
    expect(nextWork(workflow, next, minute(40))).toEqual({
      kind: 'batch',
      stage: 'draft',
      items: [2],
      resumed: [],
    });
  });

  it('without a stage, tries every stage’s failed items again', async () => {
    const { workflow, state } = await withFailures();
    const { state: next } = say(workflow, state, '/retry failed');
    expect(next.current?.stages.draft?.pending).toEqual([2]);
    expect(next.current?.stages.outline?.pending).toEqual([3]);
  });

  it('says so when nothing failed there, and refuses an unknown stage', async () => {
    const { workflow, state } = await withFailures();
    expect(say(workflow, state, '/retry failed edit').outcome?.message).toBe(
      'No item of sweep `sweep-1` failed at `edit`: there is nothing to retry. Items failed at: `outline` (#3), `draft` (#2); `/retry failed <stage>` tries them again.',
    );
    expect(say(workflow, state, '/retry failed edits').outcome?.message).toBe(
      '`/retry failed edits`: workflow `content` has no stage "edits". Stages it takes: `outline`, `draft`, `edit`. Items failed at: `outline` (#3), `draft` (#2). `/retry failed` alone tries the failed items of every stage again.',
    );
  });

  it('leaves a plain /retry answered with where it belongs', async () => {
    const { workflow, state } = await withFailures();
    const { outcome } = say(workflow, state, '/retry make it shorter');
    expect(outcome).toMatchObject({ applied: false, reply: true });
    expect(outcome?.message).toContain("`/retry` runs one item's stage again");
  });
});
