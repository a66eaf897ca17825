import { formatBudget, formatCost, formatCount } from '../render/format.ts';
import type { SweepEstimate } from './estimate-sweep.ts';
import type { SweepBudget } from './schedule-of.ts';
import type { Spend } from './sweep-state.ts';

export type BudgetCheck = { ok: true; warning?: string } | { ok: false; reason: string };

/**
 * Whether a sweep may start under its budget (`on.schedule.budget`): refused, with the numbers, when the
 * estimate exceeds `max_tokens` or `max_cost_usd`. Allowed with a warning when a limit is set but some stages
 * have nothing to estimate from, since the estimate then leaves them out.
 */
export function checkBudget(limits: SweepBudget | undefined, estimate: SweepEstimate): BudgetCheck {
  const { max_tokens, max_cost_usd } = limits ?? {};
  const { total } = estimate;
  if (max_tokens !== undefined && total.tokens > max_tokens) {
    return {
      ok: false,
      reason: `the sweep would use about ${formatCount(total.tokens)} tokens (${breakdown(estimate, 'tokens')}), over its budget of ${formatCount(max_tokens)} (on.schedule.budget.max_tokens)`,
    };
  }
  if (max_cost_usd !== undefined && total.cost_usd > max_cost_usd) {
    return {
      ok: false,
      reason: `the sweep would cost about ${formatCost(total.cost_usd)} (${breakdown(estimate, 'cost_usd')}), over its budget of ${formatBudget(max_cost_usd)} (on.schedule.budget.max_cost_usd)`,
    };
  }
  // A stage with no cost estimate matters only to a cost limit; one with no usage at all, to either.
  const unknown = estimate.unknown.filter((u) => u.missing === 'usage' || max_cost_usd !== undefined);
  if ((max_tokens !== undefined || max_cost_usd !== undefined) && unknown.length > 0) {
    const names = unknown.map((u) => `"${u.stage}" (${u.missing === 'usage' ? 'no usage' : 'no cost'})`);
    return {
      ok: true,
      warning: `the estimate leaves out what nothing predicts yet: ${names.join(', ')}; give those stages an \`estimate:\` so the budget check counts them`,
    };
  }
  return { ok: true };
}

/**
 * Why a running sweep must stop, with the numbers, once what it has spent reaches a limit; undefined while it
 * stays below both.
 */
export function budgetReached(limits: SweepBudget | undefined, spent: Spend): string | undefined {
  const { max_tokens, max_cost_usd } = limits ?? {};
  if (max_tokens !== undefined && spent.tokens >= max_tokens) {
    return `the sweep has used ${formatCount(spent.tokens)} tokens, reaching its budget of ${formatCount(max_tokens)} (on.schedule.budget.max_tokens)`;
  }
  if (max_cost_usd !== undefined && spent.cost_usd >= max_cost_usd) {
    return `the sweep has spent ${formatCost(spent.cost_usd)}, reaching its budget of ${formatBudget(max_cost_usd)} (on.schedule.budget.max_cost_usd)`;
  }
  return undefined;
}

function breakdown(estimate: SweepEstimate, field: 'tokens' | 'cost_usd'): string {
  return estimate.stages
    .map((s) => {
      const value = field === 'tokens' ? formatCount(s.tokens) : formatCost(s.cost_usd);
      return `${s.stage}: ${s.items} × ${field === 'tokens' ? formatCount(s.tokens / Math.max(1, s.items)) : formatCost(s.cost_usd / Math.max(1, s.items))} = ${value}`;
    })
    .join('; ');
}
