import { beforeEach, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../support/model-server.ts';
import { dashboardOf, sharedModelServer, sweepJob, sweepRepo, sweepWorkflowText } from './sweep-fixture.ts';

const model = sharedModelServer();
let models: ModelServer;
beforeEach(() => {
  models = model();
});

describe('a scheduled sweep', () => {
  it('takes every item stage by stage until each waits at the editor gate', async () => {
    const github = sweepRepo(12);
    const started = Date.now();
    const result = await sweepJob(github, models);
    const seconds = (Date.now() - started) / 1000;
    expect(result.ok).toBe(true);
    expect(result.sweeps[0]?.outcome).toBe('completed');
    const { state } = dashboardOf(github);
    expect(state.current?.stages.edit?.waiting).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(state.current?.stages.outline?.done).toHaveLength(12);
    // Two model calls per item: the outline, then the edit; the edit waits for an editor.
    expect(models.requests).toHaveLength(24);
    expect(state.lease).toBeUndefined();
    console.log(
      `12 items: ${(github.log.length / 12).toFixed(1)} API calls per item, ${seconds.toFixed(1)} s`,
    );
  }, 60_000);
});

describe('a second sweep job while the first holds the lease', () => {
  it('is refused, names the holder, and writes nothing', async () => {
    const github = sweepRepo(3);
    models.fallback = { text: 'An outline.', usage: { input: 10, output: 5 } };
    const logs: string[] = [];
    // The first job's first model call waits until the second job has run start to end: no timer decides it.
    let second: Awaited<ReturnType<typeof sweepJob>> | undefined;
    models.onRequest = async (_request, index) => {
      if (index === 0) second = await sweepJob(github, models, { runId: '2', logs });
    };
    const first = await sweepJob(github, models, { runId: '1' });
    if (second === undefined) throw new Error('the second job did not run');
    expect(first.sweeps[0]?.outcome).toBe('completed');
    expect(second.ok).toBe(true);
    expect(second.sweeps[0]?.outcome).toBe('lease');
    expect(second.summary[0]).toContain('run-1');
    // Each item's two stages ran once, by the first job only.
    expect(models.requests).toHaveLength(6);
  }, 60_000);
});

describe('a sweep over its budget', () => {
  it('is refused before it starts, with the numbers, as the job error', async () => {
    const github = sweepRepo(4, sweepWorkflowText('max_tokens: 100'));
    const result = await sweepJob(github, models);
    expect(result.ok).toBe(false);
    expect(result.sweeps[0]?.outcome).toBe('over_budget');
    expect(result.summary[0]).toMatch(
      /about 120 tokens \(outline: 4 × 15 = 60; edit: 4 × 15 = 60\), over its budget of 100/,
    );
    expect(models.requests).toHaveLength(0);
    const { state } = dashboardOf(github);
    expect(state.lease).toBeUndefined();
    expect(state.events.at(-1)?.what).toMatch(/^no sweep started: /);
  });
});
