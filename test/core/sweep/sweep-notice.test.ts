import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../../src/core/load/load-workflow.ts';
import { recordResults, sweepNotice, sweepProgress } from '../../../src/core/sweep/index.ts';
import type { Workflow } from '../../../src/core/workflow.ts';
import { doneEverywhere, minute, patchSweep, pipeline, runLoop, started } from './support.ts';

/** outline -> tasks (a system stage) -> edit (a person's gate) -> ready, with approvers in `defaults`. */
async function withSystemStage(): Promise<Workflow> {
  const result = await loadWorkflow(
    'flow.yml',
    `version: 1
name: content
on:
  schedule: { cron: "0 2 * * *", batch_size: 2 }
providers:
  writer: anthropic/claude-sonnet-4-5
defaults:
  gate: skip
  approvers: [maya, acme/editors]
stages:
  - id: outline
    provider: writer
    instructions: Outline {{ subject.title }}
  - id: tasks
    run:
      - add_labels: queued
  - id: edit
    provider: writer
    instructions: Edit {{ subject.title }}
    gate: { approver: manual, approvers: [erin] }
    next: ready
  - id: ready
    type: terminal
`,
  );
  if (result.workflow === undefined) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.workflow;
}

describe('a system stage the run goes through within the stage before it', () => {
  it('counts each item done there, at no cost, and the sweep’s progress reaches 100%', async () => {
    const workflow = await withSystemStage();
    const loop = runLoop(workflow, started(workflow, [1, 2]), (stage) =>
      stage === 'outline' ? { outcome: 'done', next: 'edit', via: ['tasks'] } : { outcome: 'waiting' },
    );
    const sweep = loop.state.current;
    expect(sweep?.stages.tasks).toMatchObject({ done: [1, 2], pending: [], batches: 0 });
    expect(loop.calls.map((c) => c.stage)).toEqual(['outline', 'outline', 'edit', 'edit']);
    expect(loop.state.averages.tasks).toMatchObject({ tokens: 0, cost_usd: 0, seconds: 0 });
    expect(loop.state.events.some((e) => e.what === '#1 done → tasks → edit')).toBe(true);
    const progress = sweepProgress(
      workflow,
      sweep as NonNullable<typeof sweep>,
      loop.state.averages,
      minute(60),
    );
    expect(progress.stages.find((s) => s.id === 'tasks')).toMatchObject({
      queue: 2,
      processed: 2,
      remaining: 0,
      system: true,
    });
    expect(progress.percent).toBe(100);
  });

  it('refuses a stage the workflow does not have', async () => {
    const workflow = await withSystemStage();
    const state = started(workflow, [1]);
    const batch = runLoop(workflow, state, doneEverywhere, { maxBatches: 0 });
    expect(() =>
      recordResults(
        workflow,
        {
          ...batch.state,
          current: {
            ...(batch.state.current as NonNullable<typeof batch.state.current>),
            stages: {
              outline: {
                ...(batch.state.current?.stages.outline as NonNullable<
                  NonNullable<typeof batch.state.current>['stages'][string]
                >),
                pending: [],
                started: [1],
              },
            },
          },
        },
        'outline',
        [{ item: 1, outcome: 'done', next: 'edit', via: ['nowhere'] }],
        minute(2),
      ),
    ).toThrow('#1 went through "nowhere", a stage the workflow does not have');
  });
});

describe('sweepNotice', () => {
  it('tells how a completed sweep ended and mentions the approvers of the workflow and of the waiting gates', async () => {
    const workflow = await withSystemStage();
    const loop = runLoop(workflow, started(workflow, [1, 2, 3]), (stage, item) =>
      stage === 'outline' && item === 3
        ? { outcome: 'failed', error: 'the model timed out' }
        : stage === 'outline'
          ? { outcome: 'done', next: 'edit', via: ['tasks'] }
          : { outcome: 'waiting' },
    );
    const notice = sweepNotice(workflow, loop.state);
    expect(notice?.key).toBe(`sweep-1 completed ${loop.state.current?.finished_at}`);
    expect(notice?.body).toBe(
      [
        '✅ Sweep `sweep-1` completed. 3 items: 0 finished, 2 waiting for people, 1 failed, 0 skipped; 0 tokens, $0.0000 spent.',
        '- waiting at `edit`: #1, #2',
        '- failed at `outline`: #3 (`/retry failed outline` tries them again)',
        '',
        'cc @maya @acme/editors @erin',
      ].join('\n'),
    );
    const told = patchSweep(loop.state, { notified: notice?.key });
    expect(sweepNotice(workflow, told)).toBeUndefined();
  });

  it('says why a sweep failed or its budget stopped it, and nothing while it runs or is paused', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1]);
    expect(sweepNotice(workflow, state)).toBeUndefined();
    expect(
      sweepNotice(workflow, patchSweep(state, { status: 'paused', reason: 'paused by @bob' })),
    ).toBeUndefined();
    const failed = patchSweep(state, {
      status: 'failed',
      reason: '#1 failed at draft and on_failure is stop',
      finished_at: minute(5),
    });
    expect(sweepNotice(workflow, failed)?.body).toMatch(
      /^❌ Sweep `sweep-1` failed: &#35;1 failed at draft and on_failure is stop\. [^\n]*\n\n`\/resume` goes on and tries the failed items again\.$/,
    );
    const stopped = patchSweep(state, {
      status: 'budget_stopped',
      reason: 'spent $5',
      finished_at: minute(5),
    });
    expect(sweepNotice(workflow, stopped)?.body).toContain(
      '💰 Sweep `sweep-1` was stopped by its budget: spent $5.',
    );
  });
});
