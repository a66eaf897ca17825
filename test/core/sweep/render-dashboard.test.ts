import { describe, expect, it } from 'vitest';
import {
  dashboardMarker,
  dashboardTitle,
  decodeSweepState,
  emptySweepState,
  nextWork,
  type PastSweep,
  renderDashboard,
  type SweepState,
  startBatch,
} from '../../../src/core/sweep/index.ts';
import type { Workflow } from '../../../src/core/workflow.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import {
  doneEverywhere,
  type Executor,
  KEY,
  leased,
  minute,
  patchSweep,
  pipeline,
  runLoop,
  started,
} from './support.ts';

const GITHUB_LIMIT = 65_536;

/** The visible part of a dashboard body: everything before the state block. */
function visible(body: string): string {
  return body.slice(0, body.indexOf('<!-- flowgate:sweep'));
}

function pastRow(i: number, overrides: Partial<PastSweep> = {}): PastSweep {
  return {
    id: `sweep-${String(i).padStart(4, '0')}`,
    trigger: 'cron',
    actor: 'schedule',
    status: 'completed',
    started_at: new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString(),
    finished_at: new Date(Date.UTC(2025, 5, 1) + i * 60_000 + 30_000).toISOString(),
    run_url: `https://github.com/acme/widgets/actions/runs/${9_000_000_000 + i}`,
    selected: 200,
    completed: 150,
    waiting: 40,
    failed: 6,
    skipped: 4,
    spend: { tokens: 7_400_000, cost_usd: 47.123456 },
    ...overrides,
  };
}

/** A first sweep that ended (one item failed at draft), then a second one halfway through its draft stage. */
async function twoSweeps(): Promise<{ workflow: Workflow; state: SweepState }> {
  const workflow = await pipeline({ batch_size: 2, budget: { max_cost_usd: 5 }, title: 'Content pipeline' });
  const failing: Executor = (stage, item) =>
    item === 3 && stage === 'draft'
      ? { outcome: 'failed', error: 'the provider answered 529 | overloaded <b>' }
      : doneEverywhere(stage, item);
  const first = runLoop(workflow, started(workflow, [1, 2, 3]), failing);
  const second = runLoop(
    workflow,
    started(workflow, [4, 5, 6, 7, 8], leased(workflow, first.state), 'sweep-2'),
    doneEverywhere,
    {
      maxBatches: 4,
      clock: { n: 100 },
    },
  );
  let state = second.state;
  const work = nextWork(workflow, state, minute(120));
  if (work.kind !== 'batch') throw new Error('expected a batch');
  state = startBatch(workflow, state, work, minute(120));
  return { workflow, state };
}

describe('renderDashboard', () => {
  it('shows the sweep, its stages, the activity and the past sweeps, then the signed state', async () => {
    const { workflow, state } = await twoSweeps();
    const body = renderDashboard(workflow, state, minute(125), { key: KEY, repoId: REPO_ID, maxEvents: 6 });
    expect(visible(body)).toMatchInlineSnapshot(`
      "<!-- flowgate:dashboard workflow=content -->
      ## Content pipeline

      Scheduled sweeps of workflow \`content\` · cron \`0 2 * * *\` (UTC) · stage-by-stage · batches of 2 · on failure: continue  
      **Next scheduled run:** 2025-06-13 02:00 UTC (in 21h 55m)

      ### Sweep sweep-2 · 🔄 running

      Started 2025-06-12 02:00 UTC by the schedule · [Actions run](https://github.com/acme/widgets/actions/runs/100) · elapsed 2h 5m  
      **Progress:** \`████░░░░░░\` 46% · 7 of 15 stage runs · ETA 4m  
      **Spent:** 7,000 tokens · $0.0700 of $5.00 (1%) · estimated at the start: 15,000 tokens, $0.1500  
      **Items:** 5 selected · 0 finished  
      **Lease:** actions-run-100 until 2025-06-12 03:00 UTC  
      **Commands** (comment on this issue): \`/pause\` · \`/pause <stage>\` · \`/retry failed [stage]\`

      | Stage | Queue | Processed | Remaining | Failed | Skipped | Waiting | Current | Elapsed | ETA | Tokens | Cost |
      |---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|
      | outline | 5 | 5 | 0 | 0 | 0 | 0 | — | 3m | — | 5,000 | $0.0500 |
      | draft | 5 | 2 | 3 | 0 | 0 | 0 | **#6** · #7 | 6m | 1m | 2,000 | $0.0200 |
      | edit (a person's gate) | 2 | 0 | 5 | 0 | 0 | 0 | — | — | 2m | 0 | $0.0000 |

      ### Activity

      <details open><summary>Last 6 events, newest first</summary>

      - 2025-06-12 04:00 UTC · draft · batch 2 started: #6, #7
      - 2025-06-12 03:51 UTC · draft · &#35;5 done (1000 tokens, $0.0100) → edit
      - 2025-06-12 03:51 UTC · draft · &#35;4 done (1000 tokens, $0.0100) → edit
      - 2025-06-12 03:50 UTC · draft · batch 1 started: #4, #5
      - 2025-06-12 03:48 UTC · outline · &#35;8 done (1000 tokens, $0.0100) → draft
      - 2025-06-12 03:47 UTC · outline · batch 3 started: #8
      - … 22 older events not shown

      </details>

      ### Past sweeps

      | Sweep | Started | Ended | By | Status | Items | Finished | Waiting | Failed | Skipped | Tokens | Cost | Actions runs (logs, summaries) |
      |---|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|
      | sweep-1 | 2025-06-12 02:00 UTC | 2025-06-12 02:17 UTC | schedule | ✅ completed | 3 | 0 | 2 | 1 | 0 | 7,000 | $0.0700 | [run](https://github.com/acme/widgets/actions/runs/100) |

      "
    `);
    const decoded = decodeSweepState(body, KEY, REPO_ID);
    expect(decoded).toEqual({ ok: true, state });
  });

  it('lists the items waiting for people and the failed ones with their reasons, escaped', async () => {
    const workflow = await pipeline({ batch_size: 5 });
    const run = runLoop(workflow, started(workflow, [1, 2, 3]), (stage, item) =>
      item === 3 && stage === 'draft'
        ? { outcome: 'failed', error: 'the model wrote </details> and @octocat | <img src=x>' }
        : doneEverywhere(stage, item),
    );
    const text = visible(renderDashboard(workflow, run.state, minute(90), { key: KEY, repoId: REPO_ID }));
    expect(text).toContain(
      '<details><summary>Waiting for people (2): nothing automatic passes their gates</summary>\n\n- at edit: #1, #2\n\n</details>',
    );
    expect(text).toContain(
      '- #3 at draft, 2025-06-12 02:06 UTC: the model wrote &lt;/details&gt; and @&#8203;octocat &#124; &lt;img src=x&gt;',
    );
    expect(text).not.toContain('</details> and');
    expect(text).not.toContain('<img');
  });

  it('escapes what people and models wrote everywhere it shows', async () => {
    const workflow = await pipeline({ title: 'Pipeline | <script>' });
    const state = patchSweep(started(workflow, [1]), {
      trigger: 'run-now',
      actor: 'mallory|<b>',
      status: 'paused',
      reason: 'paused by @mallory: `rm -rf` </details> -->',
      run_url: 'javascript:alert(1)',
    });
    const text = visible(renderDashboard(workflow, state, minute(1), { key: KEY, repoId: REPO_ID }));
    expect(text).toContain('## Pipeline &#124; &lt;script&gt;');
    expect(text).toContain('by @mallory&#124;&lt;b&gt; (run now)');
    expect(text).toContain('**Why:** paused by @&#8203;mallory: &#96;rm -rf&#96; &lt;/details&gt; --&gt;');
    expect(text).not.toContain('javascript:');
    expect(text.split('-->')).toHaveLength(2); // only the marker's own end
    expect(text).toContain('**Commands** (comment on this issue): `/resume`');
  });

  it('says so when no sweep has run yet', async () => {
    const workflow = await pipeline();
    const text = visible(
      renderDashboard(workflow, emptySweepState('content'), minute(0), { key: KEY, repoId: REPO_ID }),
    );
    expect(text).toContain(
      '_No sweep has run yet. The next one starts on schedule, or with a run now of the sweep workflow._',
    );
    expect(text).toContain('_No events yet._');
    expect(text).not.toContain('### Past sweeps');
  });

  it('stays within 65,536 characters with 250 items, long reasons and many past sweeps', async () => {
    const workflow = await pipeline({ batch_size: 25 });
    const items = Array.from({ length: 250 }, (_, i) => 100_000 + i);
    const run = runLoop(workflow, started(workflow, items), (stage, item) =>
      item % 3 === 0 && stage === 'draft'
        ? {
            outcome: 'failed',
            error: `the provider answered 500 for #${item}: ${'<internal error> | '.repeat(30)}`,
          }
        : doneEverywhere(stage, item),
    );
    const state = {
      ...run.state,
      past: Array.from({ length: 150 }, (_, i) => pastRow(i, { actor: '@everyone|<x>' })),
    };
    const body = renderDashboard(workflow, state, minute(500), { key: KEY, repoId: REPO_ID });
    expect(body.length).toBeLessThan(GITHUB_LIMIT);
    const decoded = decodeSweepState(body, KEY, REPO_ID);
    if (!decoded.ok) throw new Error(decoded.message);
    const failed = (s: SweepState) => s.current?.stages.draft?.failed ?? [];
    expect(failed(decoded.state).map((f) => f.item)).toEqual(failed(state).map((f) => f.item));
    expect(decoded.state.current?.stages.edit).toEqual(state.current?.stages.edit);
    expect(decoded.state.current?.items).toEqual(state.current?.items);
    expect(decoded.state.past_trimmed).toBe(150 - decoded.state.past.length);
    expect(visible(body)).toContain("| edit (a person's gate) | 167 | 167 | 0 | 0 | 0 | 167 |");
    expect(visible(body)).toContain('Failed items (83)');
  });

  it('shows fewer events, past sweeps and failures when the state block is at its largest', async () => {
    const workflow = await pipeline({ batch_size: 50 });
    const items = Array.from({ length: 500 }, (_, i) => 100_000 + i * 13);
    const run = runLoop(workflow, started(workflow, items), (stage, item) =>
      stage === 'edit'
        ? { outcome: 'failed', error: `the editor timed out on #${item}: ${'x'.repeat(280)}` }
        : doneEverywhere(stage, item),
    );
    const state = { ...run.state, past: Array.from({ length: 60 }, (_, i) => pastRow(i)) };
    const body = renderDashboard(workflow, state, minute(900), { key: KEY, repoId: REPO_ID, maxFailed: 500 });
    expect(body.length).toBeLessThan(GITHUB_LIMIT);
    const shownFailures = visible(body).match(/^- #\d+ at edit/gm) ?? [];
    expect(shownFailures.length).toBeLessThan(500);
    expect(decodeSweepState(body, KEY, REPO_ID).ok).toBe(true);
  });

  it('gives the dashboard a title and a marker the shell finds it by', async () => {
    expect(dashboardTitle(await pipeline({ title: 'Content pipeline' }))).toBe('Content pipeline');
    expect(dashboardTitle(await pipeline())).toBe('flowgate sweeps: content');
    expect(dashboardMarker('content')).toBe('<!-- flowgate:dashboard workflow=content -->');
    expect(dashboardMarker('a b-->')).toBe('<!-- flowgate:dashboard workflow=a%20b--%3E -->');
  });
});
