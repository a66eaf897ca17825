import { costOf, priceOf } from '../core/prices.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import type { ModelProvider } from '../providers/types.ts';
import type { CallEstimate } from './budget-stop.ts';

/** Below this many answer tokens a call is not worth making: the budget stops it instead (`budgetStop`). */
export const MIN_ANSWER_TOKENS = 256;

/**
 * The call with its answer allowance lowered to what the run's `limits` leave after the prompt: the tokens left
 * (`max_tokens`) and what the money left (`max_cost_usd`) buys at the provider's output price. The caller sends
 * `outputTokens` as the request's output cap, so the prompt estimate (an over-count) plus the cap is the most
 * the call can use. When less than MIN_ANSWER_TOKENS would be left, the call is returned as it was, and
 * `budgetStop` refuses it with the numbers. Pure.
 */
export function fitCall(
  workflow: Workflow,
  state: RunState,
  provider: ModelProvider,
  call: CallEstimate,
): CallEstimate {
  const { max_tokens, max_cost_usd } = workflow.limits;
  let room = call.outputTokens;
  if (max_tokens !== undefined) {
    const used = state.usage.tokens_in + state.usage.tokens_out;
    room = Math.min(room, max_tokens - used - call.promptTokens);
  }
  const price = priceOf(provider);
  if (max_cost_usd !== undefined && price.output_per_mtok > 0) {
    const left = max_cost_usd - state.usage.cost_usd - costOf(price, call.promptTokens, 0);
    room = Math.min(room, Math.floor((left * 1_000_000) / price.output_per_mtok));
  }
  if (room >= call.outputTokens || room < MIN_ANSWER_TOKENS) return call;
  // costOf rounds to millionths of a dollar: step down until the rounded cost fits too.
  while (
    max_cost_usd !== undefined &&
    room > MIN_ANSWER_TOKENS &&
    state.usage.cost_usd + costOf(price, call.promptTokens, room) > max_cost_usd
  ) {
    room--;
  }
  return { ...call, outputTokens: room, costUsd: costOf(price, call.promptTokens, room) };
}
