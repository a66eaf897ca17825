import { costOf, priceOf } from '../core/prices.ts';
import type { Provider } from '../core/schema/provider.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import { DEFAULT_MAX_OUTPUT_TOKENS } from '../providers/types.ts';

export { DEFAULT_MAX_OUTPUT_TOKENS };

/** What one model call may use at most. */
export interface CallEstimate {
  promptTokens: number;
  /**
   * The provider's `max_output_tokens`, or DEFAULT_MAX_OUTPUT_TOKENS, lowered by `fitCall` to the budget left: the
   * request carries this same number as its output cap, so the call can never use more.
   */
  outputTokens: number;
  /** At the provider's price (its own `price`, else the built-in table, else free). */
  costUsd: number;
}

/** The most a call with a prompt of `promptTokens` tokens can use. Pure. */
export function estimateCall(provider: Provider, promptTokens: number): CallEstimate {
  const outputTokens =
    provider.use === 'command' ? 0 : (provider.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
  return { promptTokens, outputTokens, costUsd: costOf(priceOf(provider), promptTokens, outputTokens) };
}

/**
 * Why the call must not be made under the workflow's `limits` (with the numbers), or undefined when the run's
 * usage so far plus the call's most still fits. Pure.
 */
export function budgetStop(
  workflow: Workflow,
  state: RunState,
  call: CallEstimate,
  what: string,
): string | undefined {
  const { max_tokens, max_cost_usd } = workflow.limits;
  const used = state.usage.tokens_in + state.usage.tokens_out;
  const most = call.promptTokens + call.outputTokens;
  if (max_tokens !== undefined && used + most > max_tokens) {
    const left = Math.max(0, max_tokens - used);
    return (
      `${what} was not made: it could use up to ${count(most)} tokens (${count(call.promptTokens)} for the prompt + ` +
      `${count(call.outputTokens)} for the answer), and the run has ${count(left)} of its ${count(max_tokens)} tokens left ` +
      `(limits.max_tokens; ${count(used)} used so far)`
    );
  }
  if (max_cost_usd !== undefined && state.usage.cost_usd + call.costUsd > max_cost_usd) {
    const left = Math.max(0, max_cost_usd - state.usage.cost_usd);
    return (
      `${what} was not made: it could cost up to ${usd(call.costUsd)} (${count(call.promptTokens)} prompt tokens + ` +
      `${count(call.outputTokens)} answer tokens), and the run has ${usd(left)} of its ${usd(max_cost_usd)} left ` +
      `(limits.max_cost_usd; ${usd(state.usage.cost_usd)} spent so far)`
    );
  }
  return undefined;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function usd(n: number): string {
  return `$${n.toFixed(4)}`;
}
