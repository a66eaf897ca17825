import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../../src/core/load/load-workflow.ts';
import {
  budgetReached,
  checkBudget,
  estimateSweep,
  remainingQueues,
  withSample,
} from '../../../src/core/sweep/index.ts';
import type { Workflow } from '../../../src/core/workflow.ts';
import { loop, pipeline, started } from './support.ts';

async function withoutEstimates(): Promise<Workflow> {
  const result = await loadWorkflow(
    'flow.yml',
    `version: 1
name: bare
on: { schedule: { cron: "0 2 * * *" } }
providers: { writer: anthropic/claude-sonnet-4-5 }
defaults: { gate: skip }
stages:
  - { id: a, provider: writer, instructions: A, estimate: { tokens: 1000 } }
  - { id: b, provider: writer, instructions: B }
  - { id: end, type: terminal }
`,
  );
  if (result.workflow === undefined) throw new Error('the workflow does not load');
  return result.workflow;
}

describe('estimateSweep', () => {
  it("uses the stages' declared estimates while there is no history", async () => {
    const workflow = await pipeline();
    expect(estimateSweep(workflow, { outline: 10, draft: 10, edit: 10 }, {})).toEqual({
      stages: [
        { stage: 'outline', items: 10, tokens: 40_000, cost_usd: 0.05, basis: 'estimate' },
        { stage: 'draft', items: 10, tokens: 140_000, cost_usd: 1.4, basis: 'estimate' },
        { stage: 'edit', items: 10, tokens: 180_000, cost_usd: 0.9, basis: 'estimate' },
      ],
      total: { tokens: 360_000, cost_usd: 2.35 },
      unknown: [],
    });
  });

  it('prefers the averages of earlier work, with their time per item', async () => {
    const workflow = await pipeline();
    const averages = { draft: { samples: 40, tokens: 9_500.5, cost_usd: 0.0912, seconds: 42 } };
    const estimate = estimateSweep(workflow, { draft: 3 }, averages);
    expect(estimate.stages).toEqual([
      { stage: 'draft', items: 3, tokens: 28_502, cost_usd: 0.2736, basis: 'history', seconds_per_item: 42 },
    ]);
  });

  it('lists the stages nothing predicts, and estimates without a cost', async () => {
    const workflow = await withoutEstimates();
    const estimate = estimateSweep(workflow, { a: 2, b: 2 }, {});
    expect(estimate.unknown).toEqual([
      { stage: 'a', missing: 'cost' },
      { stage: 'b', missing: 'usage' },
    ]);
    expect(estimate.total).toEqual({ tokens: 2000, cost_usd: 0 });
  });
});

describe('remainingQueues', () => {
  it('counts, per stage, the items pending there and those that will come from earlier stages', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [
      { number: 1 },
      { number: 2 },
      { number: 3, run: { stage: 'draft', status: 'running' } },
      { number: 4, run: { stage: 'edit', status: 'awaiting_approval' } },
    ]);
    expect(remainingQueues(workflow, state.current ?? ({} as never))).toEqual({
      outline: 2,
      draft: 3,
      edit: 3,
    });
  });

  it('follows a loop forward once', async () => {
    const workflow = await loop();
    const state = started(workflow, [1, 2]);
    expect(remainingQueues(workflow, state.current ?? ({} as never))).toEqual({ check: 2 });
  });
});

describe('checkBudget', () => {
  const estimate = {
    stages: [{ stage: 'draft', items: 4, tokens: 56_000, cost_usd: 0.56, basis: 'estimate' as const }],
    total: { tokens: 56_000, cost_usd: 0.56 },
    unknown: [],
  };

  it('allows a sweep without a budget', () => {
    expect(checkBudget(undefined, estimate)).toEqual({ ok: true });
  });

  it('refuses, with the numbers per stage, when the tokens exceed max_tokens', () => {
    expect(checkBudget({ max_tokens: 50_000 }, estimate)).toEqual({
      ok: false,
      reason:
        'the sweep would use about 56,000 tokens (draft: 4 × 14,000 = 56,000), over its budget of 50,000 (on.schedule.budget.max_tokens)',
    });
  });

  it('refuses when the cost exceeds max_cost_usd', () => {
    expect(checkBudget({ max_cost_usd: 0.5 }, estimate)).toEqual({
      ok: false,
      reason:
        'the sweep would cost about $0.5600 (draft: 4 × $0.1400 = $0.5600), over its budget of $0.50 (on.schedule.budget.max_cost_usd)',
    });
  });

  it('allows an estimate that equals the budget', () => {
    expect(checkBudget({ max_tokens: 56_000, max_cost_usd: 0.56 }, estimate)).toEqual({ ok: true });
  });

  it('warns when a budget is set but some stages have nothing to estimate from', () => {
    const partial = { ...estimate, unknown: [{ stage: 'review', missing: 'usage' as const }] };
    expect(checkBudget({ max_cost_usd: 10 }, partial)).toEqual({
      ok: true,
      warning:
        'the estimate leaves out what nothing predicts yet: "review" (no usage); give those stages an `estimate:` so the budget check counts them',
    });
  });

  it('does not warn about a missing cost when the budget limits tokens only', () => {
    const noCost = { ...estimate, unknown: [{ stage: 'draft', missing: 'cost' as const }] };
    expect(checkBudget({ max_tokens: 100_000 }, noCost)).toEqual({ ok: true });
    expect(checkBudget({ max_tokens: 100_000, max_cost_usd: 5 }, noCost)).toEqual({
      ok: true,
      warning:
        'the estimate leaves out what nothing predicts yet: "draft" (no cost); give those stages an `estimate:` so the budget check counts them',
    });
  });
});

describe('budgetReached', () => {
  it.each([
    [{ max_tokens: 1000 }, { tokens: 999, cost_usd: 9 }, undefined],
    [
      { max_tokens: 1000 },
      { tokens: 1000, cost_usd: 0 },
      'the sweep has used 1,000 tokens, reaching its budget of 1,000 (on.schedule.budget.max_tokens)',
    ],
    [
      { max_cost_usd: 2 },
      { tokens: 0, cost_usd: 2.5 },
      'the sweep has spent $2.5000, reaching its budget of $2.00 (on.schedule.budget.max_cost_usd)',
    ],
    [undefined, { tokens: 10 ** 9, cost_usd: 10 ** 6 }, undefined],
  ])('with %j and spending %j says %j', (limits, spent, reason) => {
    expect(budgetReached(limits, spent)).toBe(reason);
  });
});

describe('withSample', () => {
  it('is the mean of every item until the window is full, then a moving average', () => {
    let average = withSample(undefined, { tokens: 100, cost_usd: 0.1, seconds: 10 });
    average = withSample(average, { tokens: 300, cost_usd: 0.3, seconds: 30 });
    expect(average).toEqual({ samples: 2, tokens: 200, cost_usd: 0.2, seconds: 20 });
    let full = { samples: 100, tokens: 1000, cost_usd: 1, seconds: 100 };
    full = withSample(full, { tokens: 2000, cost_usd: 2, seconds: 200 });
    expect(full).toEqual({ samples: 100, tokens: 1010, cost_usd: 1.01, seconds: 101 });
  });
});
