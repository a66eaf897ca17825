import type { Usage } from '../state/run-state.ts';

/** Adds `more` into `total`, in place. */
export function addUsage(total: Usage, more: Usage): void {
  total.tokens_in += more.tokens_in;
  total.tokens_out += more.tokens_out;
  total.cost_usd = Math.round((total.cost_usd + more.cost_usd) * 1e6) / 1e6;
}
