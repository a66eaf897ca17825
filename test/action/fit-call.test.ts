import { describe, expect, it } from 'vitest';
import { budgetStop, estimateCall } from '../../src/action/budget-stop.ts';
import { fitCall, MIN_ANSWER_TOKENS } from '../../src/action/fit-call.ts';
import type { ModelProvider } from '../../src/providers/types.ts';
import { runOf, workflowOf } from './run-fixture.ts';

const FLOW = (limits: string) => `version: 1
name: budget
providers: { writer: anthropic/claude-sonnet-4-5 }
limits: ${limits}
stages:
  - id: plan
    provider: writer
    instructions: Plan it.
  - id: done
`;

const writer: ModelProvider = { use: 'anthropic', model: 'claude-sonnet-4-5', timeout_seconds: 300 };

describe('fitCall', () => {
  describe('with limits.max_tokens: 12000 and no max_output_tokens (the run that ended at 40,150 tokens)', () => {
    it('caps the answer at what is left after the prompt, so the call cannot pass the limit', async () => {
      const workflow = await workflowOf(FLOW('{ max_tokens: 12000 }'));
      const state = runOf(workflow);
      state.usage = { tokens_in: 3000, tokens_out: 2000, cost_usd: 0 };
      const call = fitCall(workflow, state, writer, estimateCall(writer, 4000));
      expect(call.outputTokens).toBe(3000);
      expect(budgetStop(workflow, state, call, 'the call')).toBeUndefined();
      expect(5000 + call.promptTokens + call.outputTokens).toBeLessThanOrEqual(12000);
    });

    it('stops the call, with the numbers, when less than a useful answer is left', async () => {
      const workflow = await workflowOf(FLOW('{ max_tokens: 12000 }'));
      const state = runOf(workflow);
      state.usage = { tokens_in: 5000, tokens_out: 2800, cost_usd: 0 };
      const call = fitCall(workflow, state, writer, estimateCall(writer, 4000));
      expect(12000 - 7800 - 4000).toBeLessThan(MIN_ANSWER_TOKENS);
      expect(budgetStop(workflow, state, call, 'the call')).toMatch(
        /^the call was not made: it could use up to/,
      );
    });
  });

  it("caps the answer at what the money left buys at the provider's output price", async () => {
    const workflow = await workflowOf(FLOW('{ max_cost_usd: 0.05 }'));
    const state = runOf(workflow);
    state.usage = { tokens_in: 0, tokens_out: 0, cost_usd: 0.02 };
    // $0.03 left; 2,000 prompt tokens at $3/Mtok cost $0.006; $0.024 buys 1,600 answer tokens at $15/Mtok.
    const call = fitCall(workflow, state, writer, estimateCall(writer, 2000));
    expect(call.outputTokens).toBe(1600);
    expect(call.costUsd).toBeCloseTo(0.03, 6);
    expect(budgetStop(workflow, state, call, 'the call')).toBeUndefined();
  });

  it('leaves a call that fits as it is', async () => {
    const workflow = await workflowOf(FLOW('{ max_tokens: 1000000 }'));
    const call = estimateCall(writer, 10);
    expect(fitCall(workflow, runOf(workflow), writer, call)).toBe(call);
  });
});
