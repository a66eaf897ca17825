import type { RunState } from '../state/run-state.ts';
import type { Stage, Workflow } from '../workflow.ts';

/** Why the stage may not start under the workflow's limits (with the numbers), or undefined. */
export function overBudget(workflow: Workflow, state: RunState, stage: Stage): string | undefined {
  const { max_tokens, max_cost_usd } = workflow.limits;
  const used = state.usage;
  const tokens = used.tokens_in + used.tokens_out;
  const expectTokens = stage.estimate?.tokens ?? 0;
  const expectCost = stage.estimate?.cost_usd ?? 0;
  if (max_tokens !== undefined && tokens + expectTokens > max_tokens) {
    const plus = expectTokens > 0 ? ` + about ${expectTokens} for "${stage.id}"` : '';
    return `the run has used ${tokens} tokens${plus}, over its limit of ${max_tokens} (limits.max_tokens)`;
  }
  if (max_cost_usd !== undefined && used.cost_usd + expectCost > max_cost_usd) {
    const plus = expectCost > 0 ? ` + about $${expectCost.toFixed(2)} for "${stage.id}"` : '';
    return `the run has spent $${used.cost_usd.toFixed(4)}${plus}, over its limit of $${max_cost_usd} (limits.max_cost_usd)`;
  }
  return undefined;
}
