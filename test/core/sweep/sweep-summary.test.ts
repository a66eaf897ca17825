import { describe, expect, it } from 'vitest';
import {
  addSweepRun,
  decodeSweepState,
  emptySweepState,
  encodeSweepState,
  nextWork,
  RUNS_KEPT,
  renderDashboard,
  renderSweepSummary,
  setCurrentItem,
  startBatch,
  startSweep,
} from '../../../src/core/sweep/index.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import {
  doneEverywhere,
  HOLDER,
  KEY,
  leased,
  minute,
  patchSweep,
  pipeline,
  runLoop,
  started,
} from './support.ts';

const RUN = (n: number) => `https://github.com/acme/widgets/actions/runs/${n}`;

function visible(body: string): string {
  return body.slice(0, body.indexOf('<!-- flowgate:sweep'));
}

describe('addSweepRun', () => {
  it('notes each Actions run that works on the sweep once, the starting run first', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1, 2]);
    const once = addSweepRun(state, RUN(100));
    expect(once.current?.runs).toEqual([RUN(100)]);
    expect(addSweepRun(once, RUN(100))).toBe(once);
    const twice = addSweepRun(once, RUN(101));
    expect(twice.current?.runs).toEqual([RUN(100), RUN(101)]);
    expect(addSweepRun(twice, RUN(100)).current?.runs).toEqual([RUN(100), RUN(101), RUN(100)]);
  });

  it(`keeps the newest ${RUNS_KEPT} runs; the first stays as run_url`, async () => {
    const workflow = await pipeline();
    let state = started(workflow, [1]);
    for (let n = 100; n < 125; n++) state = addSweepRun(state, RUN(n));
    expect(state.current?.runs).toHaveLength(RUNS_KEPT);
    expect(state.current?.runs?.at(-1)).toBe(RUN(124));
    expect(state.current?.run_url).toBe(RUN(100));
    expect(decodeSweepState(encodeSweepState(state, KEY, REPO_ID), KEY, REPO_ID)).toEqual({
      ok: true,
      state,
    });
  });

  it('refuses an empty URL, and a state without a sweep', async () => {
    const workflow = await pipeline();
    expect(() => addSweepRun(started(workflow, [1]), ' ')).toThrow('an Actions run needs a non-empty URL');
    expect(() => addSweepRun(emptySweepState('content'), RUN(1))).toThrow('there is no sweep');
  });
});

describe('the dashboard links every run of a sweep', () => {
  it('in the sweep summary and in the past sweeps table', async () => {
    const workflow = await pipeline({ batch_size: 5 });
    const first = runLoop(
      workflow,
      addSweepRun(addSweepRun(started(workflow, [1]), RUN(100)), RUN(101)),
      doneEverywhere,
    );
    const live = visible(renderDashboard(workflow, first.state, minute(40), { key: KEY, repoId: REPO_ID }));
    expect(live).toContain(`[Actions run 1](${RUN(100)}) · [Actions run 2](${RUN(101)})`);
    const next = startSweep(workflow, leased(workflow, first.state), {
      id: 'sweep-2',
      now: minute(50),
      holder: HOLDER,
      trigger: 'cron',
      actor: 'schedule',
      run_url: RUN(200),
      items: [{ number: 2 }],
    });
    if (!next.ok) throw new Error(next.message);
    const text = visible(renderDashboard(workflow, next.state, minute(51), { key: KEY, repoId: REPO_ID }));
    expect(text).toContain('| Actions runs (logs, summaries) |');
    expect(text).toMatch(
      /\| sweep-1 \|.*\| \[run 1\]\(https:\/\/github\.com\/acme\/widgets\/actions\/runs\/100\) · \[run 2\]\(https:\/\/github\.com\/acme\/widgets\/actions\/runs\/101\) \|$/m,
    );
    expect(text).toContain(`by the schedule · [Actions run](${RUN(200)})`);
  });
});

describe('the current item', () => {
  it('is shown first and in bold in the batch in flight', async () => {
    const workflow = await pipeline({ batch_size: 3 });
    let state = started(workflow, [4, 5, 6]);
    const work = nextWork(workflow, state, minute(1));
    if (work.kind !== 'batch') throw new Error('expected a batch');
    state = startBatch(workflow, state, work, minute(1));
    expect(visible(renderDashboard(workflow, state, minute(2), { key: KEY, repoId: REPO_ID }))).toContain(
      '| outline | 3 | 0 | 3 | 0 | 0 | 0 | **#4** · #5, #6 |',
    );
    state = setCurrentItem(state, 'outline', 5, minute(2));
    expect(visible(renderDashboard(workflow, state, minute(3), { key: KEY, repoId: REPO_ID }))).toContain(
      '| outline | 3 | 0 | 3 | 0 | 0 | 0 | **#5** · #4, #6 |',
    );
  });
});

describe('renderSweepSummary', () => {
  it("shows what the job did and the sweep as it stands, for the job's summary", async () => {
    const workflow = await pipeline({ batch_size: 5, title: 'Content pipeline' });
    const run = runLoop(workflow, addSweepRun(started(workflow, [1, 2, 3]), RUN(100)), (stage, item) =>
      item === 3 && stage === 'draft'
        ? { outcome: 'failed', error: 'the provider answered 529 | <b>' }
        : doneEverywhere(stage, item),
    );
    const text = renderSweepSummary(workflow, run.state, minute(60), {
      message: 'sweep sweep-1 is completed',
      advanced: 8,
      dashboard_url: 'https://github.com/acme/widgets/issues/40',
    });
    expect(text).toMatchInlineSnapshot(`
      "### Content pipeline (\`content\`)

      sweep sweep-1 is completed · [dashboard](https://github.com/acme/widgets/issues/40)  
      This job advanced 8 item stage runs.

      **Sweep sweep-1** · ✅ completed  
      Started 2025-06-12 02:00 UTC by the schedule · [Actions run](https://github.com/acme/widgets/actions/runs/100) · ended 2025-06-12 02:11 UTC · elapsed 11m  
      **Progress:** \`██████████\` 100% · 8 of 8 stage runs  
      **Spent:** 7,000 tokens · $0.0700 · estimated at the start: 108,000 tokens, $0.7050  
      **Items:** 3 selected · 0 finished · 2 waiting for people · 1 failed

      | Stage | Queue | Processed | Remaining | Failed | Skipped | Waiting | Current | Elapsed | ETA | Tokens | Cost |
      |---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|
      | outline | 3 | 3 | 0 | 0 | 0 | 0 | — | 1m | — | 3,000 | $0.0300 |
      | draft | 3 | 3 | 0 | 1 | 0 | 0 | — | 1m | — | 2,000 | $0.0200 |
      | edit (a person's gate) | 2 | 2 | 0 | 0 | 0 | 2 | — | 1m | — | 2,000 | $0.0200 |

      <details><summary>Waiting for people (2): nothing automatic passes their gates</summary>

      - at edit: #1, #2

      </details>

      <details><summary>Failed items (1)</summary>

      - #3 at draft, 2025-06-12 02:06 UTC: the provider answered 529 &#124; &lt;b&gt;

      </details>"
    `);
  });

  it('without a sweep, says only what happened', async () => {
    const workflow = await pipeline();
    expect(
      renderSweepSummary(workflow, emptySweepState('content'), minute(0), {
        message: 'no sweep started: no open item matches on.schedule.select',
        advanced: 0,
      }),
    ).toBe(
      '### flowgate sweeps: content (`content`)\n\nno sweep started: no open item matches on.schedule.select  \nThis job advanced no item.',
    );
  });

  it('does not show the lease or the dashboard commands', async () => {
    const workflow = await pipeline();
    const state = patchSweep(started(workflow, [1]), { status: 'paused', reason: 'paused by @bob' });
    const text = renderSweepSummary(workflow, state, minute(5), { message: 'paused', advanced: 1 });
    expect(text).toContain('This job advanced 1 item stage run.');
    expect(text).toContain('**Why:** paused by @&#8203;bob');
    expect(text).not.toContain('**Lease:**');
    expect(text).not.toContain('**Commands**');
  });
});
