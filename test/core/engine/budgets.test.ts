import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const budgeted = (limits: string, draftEstimate = '{ tokens: 1000, cost_usd: 0.5 }') =>
  flow(
    `
  - id: outline
    provider: writer
    instructions: Outline
    gate: manual
  - id: draft
    provider: writer
    instructions: Draft
    gate: manual
    estimate: ${draftEstimate}
  - id: done
`,
    `limits: ${limits}\n`,
  );

describe('a budget', () => {
  describe('that the next stage’s estimate would exceed in tokens', () => {
    it('does not start the stage and pauses the run with the numbers', async () => {
      const r = await drive(budgeted('{ max_tokens: 1100 }'));
      r.answer('outline', { usage: { tokens_in: 100, tokens_out: 50, cost_usd: 0 } });
      r.comment('alice', '/approve');
      expect(r.stage).toBe('draft');
      expect(r.status).toBe('paused');
      expect(r.effectsOf('dispatch')).toEqual([]);
      expect(r.state.resume).toEqual({
        status: 'running',
        reason:
          'stage "draft" was not started: the run has used 150 tokens + about 1000 for "draft", over its limit of 1100 (limits.max_tokens)',
        action: 'start',
      });
      expect(r.record('draft')?.attempt).toBe(0);
    });
  });

  describe('that the spending so far and the estimate would exceed in dollars', () => {
    it('pauses before the stage with the amounts', async () => {
      const r = await drive(budgeted('{ max_cost_usd: 1 }'));
      r.answer('outline', { usage: { tokens_in: 10, tokens_out: 10, cost_usd: 0.75 } });
      r.comment('alice', '/approve');
      expect(r.status).toBe('paused');
      expect(r.state.resume?.reason).toBe(
        'stage "draft" was not started: the run has spent $0.7500 + about $0.50 for "draft", over its limit of $1 (limits.max_cost_usd)',
      );
    });
  });

  describe('that is already spent, without an estimate', () => {
    it('pauses before the next stage', async () => {
      const r = await drive(budgeted('{ max_tokens: 100 }', '{ tokens: 0 }'));
      r.answer('outline', { usage: { tokens_in: 100, tokens_out: 50, cost_usd: 0 } });
      r.comment('alice', '/approve');
      expect(r.state.resume?.reason).toBe(
        'stage "draft" was not started: the run has used 150 tokens, over its limit of 100 (limits.max_tokens)',
      );
    });
  });

  describe('/resume', () => {
    it('checks the budget again and stays paused, saying why', async () => {
      const r = await drive(budgeted('{ max_tokens: 1100 }'));
      r.answer('outline');
      r.comment('alice', '/approve');
      r.comment('alice', '/resume');
      expect(r.status).toBe('paused');
      expect(r.effectsOf('dispatch')).toEqual([]);
      expect(r.effectsOf('react')).toEqual([]);
      expect(r.replies).toEqual([
        'The run stays paused: stage "draft" was not started: the run has used 150 tokens + about 1000 for "draft", over its limit of 1100 (limits.max_tokens).',
      ]);
    });

    it('starts the stage once the limits allow it', async () => {
      const r = await drive(budgeted('{ max_tokens: 1100 }'));
      r.answer('outline');
      r.comment('alice', '/approve');
      await r.changeDefinition(budgeted('{ max_tokens: 5000 }'));
      expect(r.status).toBe('paused');
      r.comment('alice', '/resume');
      expect(r.status).toBe('running');
      expect(r.effectsOf('dispatch')).toEqual([
        { type: 'dispatch', stage: 'draft', attempt: 1, nonce: 'n5', step: 'response' },
      ]);
    });
  });

  describe('/retry over the budget', () => {
    it('does not start the new attempt and pauses with the numbers', async () => {
      const r = await drive(budgeted('{ max_tokens: 1200 }'));
      r.answer('outline');
      r.comment('alice', '/approve');
      r.answer('draft', { usage: { tokens_in: 500, tokens_out: 0, cost_usd: 0 } });
      r.comment('alice', '/retry longer');
      expect(r.status).toBe('paused');
      expect(r.effectsOf('dispatch')).toEqual([]);
      expect(r.state.resume?.reason).toBe(
        'stage "draft" was not started: the run has used 650 tokens + about 1000 for "draft", over its limit of 1200 (limits.max_tokens)',
      );
    });
  });
});
