import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const withGate = (gate: string, extra = '') =>
  flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: ${gate}
${extra}  - id: done
`);

describe('a skip gate', () => {
  it('passes at once and records the pass against the output it let through', async () => {
    const r = await drive(withGate('skip'));
    r.answer('plan', { sha: 'out-1' });
    expect(r.status).toBe('completed');
    expect(r.record('plan')?.approvals).toEqual([
      { by: 'flowgate', attempt: 1, at: r.now, step: 'response', sha256: 'out-1', via: 'skip', event: 'e2' },
    ]);
  });
});

describe('a manual gate', () => {
  it('waits for a person, says who may approve, and passes on /approve', async () => {
    const r = await drive(withGate('{ approver: manual, approvers: [octocat, acme/leads] }'));
    r.answer();
    expect(r.status).toBe('awaiting_approval');
    expect(r.effectsOf('notify')).toEqual([
      {
        type: 'notify',
        users: ['octocat'],
        teams: ['acme/leads'],
        codeowners: false,
        text: 'the output of "plan" waits for approval by @octocat or members of @acme/leads (with write permission): comment /approve, /reject <reason> or /retry [feedback]',
      },
    ]);
    r.comment('octocat', '/approve lgtm');
    expect(r.effectsOf('react')).toEqual([{ type: 'react', comment_id: 101, reaction: '+1' }]);
    expect(r.status).toBe('completed');
    expect(r.state.history.find((h) => h.what.includes('approved'))).toEqual({
      at: '2025-01-01T12:02:00.000Z',
      actor: 'octocat',
      event: 'comment:101:1',
      what: 'plan: response approved by @octocat (1 of 1)',
      reason: 'lgtm',
    });
  });

  it('also passes on an approving pull request review', async () => {
    const r = await drive(withGate('manual'), { subject: { kind: 'pull_request', head_sha: 'h1' } });
    r.answer();
    r.review('alice', 'approved', 'h1');
    expect(r.status).toBe('completed');
    expect(r.record('plan')?.approvals[0]).toMatchObject({ by: 'alice', via: 'review', step: 'response' });
  });
});

describe('a review gate', () => {
  const REVIEW = flow(`
  - id: implement
    mode: command
    provider: agent
    instructions: Implement
    output: pull_request
    gate: review
  - id: done
`);

  it('does not open with /approve, and says a review is needed', async () => {
    const r = await drive(REVIEW);
    r.answer('implement', { sha: 'head-1' });
    r.comment('alice', '/approve');
    expect(r.replies).toEqual([
      'This gate opens with a pull request review approval by anyone with write permission, not with a command.',
    ]);
    expect(r.status).toBe('awaiting_approval');
  });

  it('opens with an approving review of the current head', async () => {
    const r = await drive(REVIEW);
    r.answer('implement', { sha: 'head-1' });
    r.review('alice', 'approved', 'head-1');
    expect(r.status).toBe('completed');
    expect(r.history).toContain('implement: approved in a review by @alice');
  });

  it('ignores a review that only comments', async () => {
    const r = await drive(REVIEW);
    r.answer('implement', { sha: 'head-1' });
    const result = r.review('alice', 'commented', 'head-1');
    expect(result.changed).toBe(false);
    expect(result.effects).toEqual([]);
  });

  it('halts on a review that requests changes, with the review body as the reason', async () => {
    const r = await drive(REVIEW);
    r.answer('implement', { sha: 'head-1' });
    r.review('alice', 'changes_requested', 'head-1', 'Tests are missing.');
    expect(r.status).toBe('paused');
    expect(r.state.resume).toEqual({
      status: 'awaiting_approval',
      reason: 'the response of "implement" was rejected by @alice: Tests are missing.',
      action: 'retry',
    });
    expect(r.record()?.rejections).toEqual([
      {
        by: 'alice',
        attempt: 1,
        at: r.now,
        step: 'response',
        reason: 'Tests are missing.',
        via: 'review',
        event: 'e3',
      },
    ]);
  });
});

describe('an ai:<provider> gate', () => {
  const AI = withGate('{ approver: "ai:checker", max_retries: 2 }');

  it('asks the approver model to judge the output', async () => {
    const r = await drive(AI);
    r.answer();
    expect(r.status).toBe('running');
    expect(r.wait).toMatchObject({ for: 'action', step: 'approver', of: 'response', nonce: 'n2' });
    expect(r.effectsOf('dispatch')).toEqual([
      { type: 'dispatch', stage: 'plan', attempt: 1, nonce: 'n2', step: 'approver' },
    ]);
  });

  it('moves on when it approves, and counts what it used', async () => {
    const r = await drive(AI);
    r.answer();
    r.approverSays('approved', 'clear plan');
    expect(r.status).toBe('completed');
    expect(r.record('plan')?.approvals).toEqual([
      {
        by: 'ai:checker',
        attempt: 1,
        at: r.now,
        step: 'response',
        sha256: 'plan-response-1',
        via: 'ai',
        event: 'e3',
        note: 'clear plan',
      },
    ]);
    expect(r.state.usage).toEqual({ tokens_in: 110, tokens_out: 55, cost_usd: 0.011 });
    expect(r.history).toContain('plan: response approved by ai:checker');
  });

  it('re-runs the stage with its feedback when it rejects, then moves on when it approves', async () => {
    const r = await drive(AI);
    r.answer();
    r.approverSays('rejected', 'Name the files.');
    expect(r.status).toBe('running');
    expect(r.effectsOf('dispatch')).toEqual([
      { type: 'dispatch', stage: 'plan', attempt: 2, nonce: 'n3', step: 'response' },
    ]);
    expect(r.record()).toMatchObject({
      attempt: 2,
      retries: 1,
      visit_retries: 1,
      feedback: 'Name the files.',
    });
    expect(r.record()?.rejections).toEqual([
      {
        by: 'ai:checker',
        attempt: 1,
        at: r.now,
        step: 'response',
        reason: 'Name the files.',
        via: 'ai',
        event: 'e3',
      },
    ]);
    expect(r.history.at(-1)).toBe('plan: response rejected by ai:checker (1 of 2 retries)');
    r.answer();
    r.approverSays('approved');
    expect(r.status).toBe('completed');
  });

  it('fails the run with a clear reason when it rejects more than max_retries times', async () => {
    const r = await drive(AI);
    for (const feedback of ['too vague', 'still vague']) {
      r.answer();
      r.approverSays('rejected', feedback);
      expect(r.status).toBe('running');
    }
    r.answer();
    r.approverSays('rejected', 'no files named');
    expect(r.status).toBe('failed');
    expect(r.state.last_error).toBe(
      'ai:checker rejected the response of "plan" 3 times (max_retries 2); last feedback: no files named',
    );
    expect(r.effectsOf('dispatch')).toEqual([]);
    expect(r.effectsOf('check.update')).toEqual([
      { type: 'check.update', status: 'completed', conclusion: 'failure' },
    ]);
  });

  it('takes max_retries from defaults when the gate sets none', async () => {
    const r = await drive(
      flow(
        `
  - id: plan
    provider: writer
    instructions: Plan
    gate: ai:checker
  - id: done
`,
        'defaults: { max_retries: 0 }\n',
      ),
    );
    r.answer();
    r.approverSays('rejected', 'no');
    expect(r.status).toBe('failed');
  });

  describe('/retry after it gave up', () => {
    it('gives the stage max_retries fresh rejections', async () => {
      const r = await drive(AI);
      for (let i = 0; i < 3; i++) {
        r.answer();
        r.approverSays('rejected', `no ${i}`);
      }
      expect(r.status).toBe('failed');
      r.comment('maintainer', '/retry try a smaller plan');
      expect(r.status).toBe('running');
      r.answer();
      r.approverSays('rejected', 'closer');
      expect(r.status).toBe('running');
      r.answer();
      r.approverSays('approved');
      expect(r.status).toBe('completed');
    });
  });
});
