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

describe("a sweep's labels", () => {
  it('leaves each item with the label of the stage it is at, the earlier stage label removed', async () => {
    const github = sweepRepo(3);
    const result = await sweepJob(github, models);
    expect(result.sweeps[0]?.outcome).toBe('completed');
    for (const n of [1, 2, 3]) {
      expect(github.issues.get(n)?.labels).toEqual([
        'brief',
        'flowgate: edit',
        'flowgate: awaiting approval',
      ]);
    }
  }, 60_000);
});

describe("a sweep's reads of GitHub", () => {
  it('lists the workflow directory and reads the workflow once for the whole job', async () => {
    const github = sweepRepo(6);
    const result = await sweepJob(github, models);
    expect(result.sweeps[0]?.outcome).toBe('completed');
    expect(models.requests).toHaveLength(12);
    const reads = (pattern: RegExp) => github.log.filter((line) => pattern.test(line));
    expect(reads(/^GET \/repos\/acme\/widgets\/contents\/\.github/)).toHaveLength(1);
    expect(reads(/^GET \/repos\/acme\/widgets\/git\/blobs\//)).toHaveLength(1);
  }, 60_000);

  it("lists an item's comments twice per stage, and to select it only when it has comments: a step takes its reconcile's listing", async () => {
    const github = sweepRepo(4);
    // #4 has a comment: where its run stands is read from its comments when it is selected.
    github.addComment(4, 'maya', 'Keep it short.');
    await sweepJob(github, models);
    for (const n of [1, 2, 3, 4]) {
      const listings = github.log.filter((line) =>
        new RegExp(`^GET /repos/acme/widgets/issues/${n}/comments(\\?|$)`).test(line),
      );
      // Per stage (outline, edit) the reconcile before the step and the one that takes its output; for #4, the
      // selection too (the issues list says #1 to #3 have no comment, so no status comment and no run).
      expect(listings).toHaveLength(n === 4 ? 5 : 4);
    }
    // The edit step read the outline from the listing it was handed.
    const editPrompts = models.requests.filter((r) => JSON.stringify(r.body).includes('Edit this outline'));
    expect(editPrompts).toHaveLength(4);
    for (const r of editPrompts) expect(JSON.stringify(r.body)).toContain('A fine outline.');
  }, 60_000);
});

describe("a sweep's prompts", () => {
  it('are rendered over the issues as the job listed them, without reading each issue again', async () => {
    const text = sweepWorkflowText().replace(
      'Outline the article {{ subject.title }}.',
      'Outline the article {{ subject.title }}: {{ subject.body }}',
    );
    const github = sweepRepo(3, text);
    const result = await sweepJob(github, models);
    expect(result.sweeps[0]?.outcome).toBe('completed');
    const outlines = models.requests.filter((r) => JSON.stringify(r.body).includes('Outline the article'));
    expect(outlines.map((r) => /Write about topic (\d)/.exec(JSON.stringify(r.body))?.[1])).toEqual([
      '1',
      '2',
      '3',
    ]);
    const issueReads = github.log.filter((line) =>
      /^GET \/repos\/acme\/widgets\/issues\/[123](\?|$)/.test(line),
    );
    expect(issueReads).toEqual([]);
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
