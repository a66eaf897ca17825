import type { Usage } from '../state/run-state.ts';
import type { Spend } from './sweep-state.ts';

export const NO_SPEND: Spend = Object.freeze({ tokens: 0, cost_usd: 0 });

/** The sum of two spends; dollars are kept to six decimals so that sums stay short and exact enough. */
export function addSpend(a: Spend, b: Spend): Spend {
  return { tokens: a.tokens + b.tokens, cost_usd: roundUsd(a.cost_usd + b.cost_usd) };
}

/** A provider's usage (as the Action reports it) as a spend: input and output tokens together. */
export function spendOf(usage: Usage | undefined): Spend {
  if (usage === undefined) return NO_SPEND;
  return { tokens: usage.tokens_in + usage.tokens_out, cost_usd: roundUsd(usage.cost_usd) };
}

export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
