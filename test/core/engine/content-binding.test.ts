import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const TWO_APPROVALS = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    prompt_gate: manual
    gate: { approver: manual, min_approvals: 2 }
  - id: done
`);

const CODE = flow(`
  - id: implement
    mode: command
    provider: agent
    instructions: Implement
    output: pull_request
    gate: { approver: manual, min_approvals: 2 }
  - id: done
`);

describe('an approval', () => {
  describe('when the output is edited afterwards', () => {
    it('stops counting, and the history says why', async () => {
      const r = await drive(TWO_APPROVALS);
      r.answer();
      r.comment('alice', '/approve');
      r.answer('plan', { sha: 'v1' });
      r.comment('alice', '/approve');
      r.edit('plan', 'response', 'v2', 'carol');
      expect(r.record()?.output?.sha256).toBe('v2');
      expect(r.state.history.at(-1)).toMatchObject({
        actor: 'carol',
        what: 'plan: response edited by @carol',
        reason: 'approvals of the earlier text no longer count',
      });
      r.comment('bob', '/approve');
      expect(r.status).toBe('awaiting_approval');
      expect(r.history.at(-1)).toBe('plan: response approved by @bob (1 of 2)');
      r.comment('alice', '/approve');
      expect(r.status).toBe('completed');
    });

    it('binds each approval to the sha it approved', async () => {
      const r = await drive(TWO_APPROVALS);
      r.answer();
      r.comment('alice', '/approve');
      r.answer('plan', { sha: 'v1' });
      r.comment('alice', '/approve');
      r.edit('plan', 'response', 'v2');
      r.comment('alice', '/approve');
      expect(
        r
          .record()
          ?.approvals.filter((a) => a.step === 'response')
          .map((a) => [a.by, a.sha256]),
      ).toEqual([
        ['alice', 'v1'],
        ['alice', 'v2'],
      ]);
    });
  });

  describe('when the prompt is edited before it is approved', () => {
    it('binds the approval to the edited prompt', async () => {
      const r = await drive(TWO_APPROVALS);
      r.answer('plan', { sha: 'p1' });
      r.edit('plan', 'prompt', 'p2');
      r.comment('bob', '/approve');
      expect(r.effectsOf('dispatch')).toEqual([expect.objectContaining({ step: 'response' })]);
      expect(r.record()?.approvals[0]?.sha256).toBe('p2');
    });
  });

  describe('when the edit changes nothing or concerns another stage', () => {
    it('changes nothing', async () => {
      const r = await drive(TWO_APPROVALS);
      r.answer('plan', { sha: 'p1' });
      expect(r.edit('plan', 'prompt', 'p1').changed).toBe(false);
      expect(r.edit('done', 'response', 'x').changed).toBe(false);
    });
  });

  describe('when new commits are pushed to the pull request', () => {
    it('stops counting once the head moves', async () => {
      const r = await drive(CODE);
      r.answer('implement', { sha: 'h1' });
      r.comment('alice', '/approve');
      r.push('h2', 'carol');
      expect(r.state.subject).toMatchObject({ head_sha: 'h2', last_pusher: 'carol' });
      expect(r.state.history.at(-1)).toMatchObject({
        what: 'new commits by @carol',
        reason: 'approvals of the previous head no longer count',
      });
      r.comment('bob', '/approve');
      expect(r.status).toBe('awaiting_approval');
      r.comment('alice', '/approve');
      expect(r.status).toBe('completed');
    });
  });

  describe('in a review of a head that is no longer current', () => {
    it('is refused, naming both commits', async () => {
      const r = await drive(CODE);
      r.answer('implement', { sha: 'aaaaaaa1111' });
      r.push('bbbbbbb2222', 'carol');
      r.review('alice', 'approved', 'aaaaaaa1111');
      expect(r.replies).toEqual([
        'The review by @alice approved commit aaaaaaa, but the pull request is now at bbbbbbb; approve the latest commit.',
      ]);
      expect(r.record()?.approvals).toEqual([]);
    });
  });

  describe('by an AI approver, when the output is edited while it judges', () => {
    it('is asked for again about the edited output', async () => {
      const r = await drive(
        flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: ai:checker
  - id: done
`),
      );
      r.answer('plan', { sha: 'v1' });
      const first = r.wait;
      r.edit('plan', 'response', 'v2');
      expect(r.effectsOf('dispatch')).toEqual([
        { type: 'dispatch', stage: 'plan', attempt: 1, nonce: 'n3', step: 'approver' },
      ]);
      r.approverSays('approved', '', { nonce: first?.for === 'action' ? first.nonce : '' });
      expect(r.status).toBe('running');
      r.approverSays('approved');
      expect(r.status).toBe('completed');
      expect(r.record('plan')?.approvals.map((a) => a.sha256)).toEqual(['v2']);
    });
  });
});
