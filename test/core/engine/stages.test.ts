import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

describe('an ai stage with a prompt gate', () => {
  const TWO_STEP = flow(`
  - id: plan
    provider: writer
    instructions: Plan {{ subject.title }}
    prompt_gate: manual
    gate: manual
  - id: done
`);

  it('first asks the Action to render the prompt', async () => {
    const r = await drive(TWO_STEP);
    expect(r.status).toBe('running');
    expect(r.wait).toMatchObject({ for: 'action', step: 'prompt', nonce: 'n1' });
    expect(r.effectsOf('dispatch')).toEqual([
      { type: 'dispatch', stage: 'plan', attempt: 1, nonce: 'n1', step: 'prompt' },
    ]);
  });

  it('opens the prompt gate when the prompt is rendered, without calling the model', async () => {
    const r = await drive(TWO_STEP);
    r.answer('plan', { sha: 'prompt-sha' });
    expect(r.status).toBe('awaiting_approval');
    expect(r.wait).toEqual({ for: 'approval', step: 'prompt', opened_at: r.now });
    expect(r.record()?.prompt).toEqual({ attempt: 1, sha256: 'prompt-sha', pointer: { comment_id: 902 } });
    expect(r.effectsOf('dispatch')).toEqual([]);
    expect(r.effectsOf('notify')).toEqual([
      {
        type: 'notify',
        users: [],
        teams: [],
        codeowners: false,
        text: 'the prompt of "plan" waits for approval by anyone with write permission: comment /approve, /reject <reason> or /retry [feedback]',
      },
    ]);
  });

  it('dispatches the response for the same attempt once the prompt is approved', async () => {
    const r = await drive(TWO_STEP);
    r.answer();
    r.comment('alice', '/approve the prompt is fine');
    expect(r.status).toBe('running');
    expect(r.effectsOf('dispatch')).toEqual([
      { type: 'dispatch', stage: 'plan', attempt: 1, nonce: 'n3', step: 'response' },
    ]);
    expect(r.record()?.approvals).toEqual([
      {
        by: 'alice',
        attempt: 1,
        at: r.now,
        step: 'prompt',
        sha256: 'plan-prompt-1',
        via: 'command',
        event: 'comment:101:1',
        note: 'the prompt is fine',
      },
    ]);
  });

  it('opens the response gate when the response arrives, and moves on when it is approved', async () => {
    const r = await drive(TWO_STEP);
    r.answer();
    r.comment('alice', '/approve');
    r.answer('plan', { sha: 'response-sha' });
    expect(r.wait).toEqual({ for: 'approval', step: 'response', opened_at: r.now });
    expect(r.record()?.output).toMatchObject({ attempt: 1, sha256: 'response-sha' });
    r.comment('bob', '/approve');
    expect(r.status).toBe('completed');
    expect(r.history).toEqual([
      'started at plan',
      'plan: prompt ready (attempt 1)',
      'plan: prompt approved by @alice (1 of 1)',
      'plan: output ready (attempt 1)',
      'plan: response approved by @bob (1 of 1)',
      'plan -> done',
      'completed',
    ]);
  });

  it('mentions the prompt gate’s own approvers when the prompt waits', async () => {
    const r = await drive(
      flow(`
  - id: plan
    provider: writer
    instructions: Plan
    prompt_gate: { approver: manual, approvers: [carol, acme/prompt-reviewers] }
    gate: { approver: manual, approvers: [bob] }
  - id: done
`),
    );
    r.answer();
    expect(r.effectsOf('notify')).toEqual([
      {
        type: 'notify',
        users: ['carol'],
        teams: ['acme/prompt-reviewers'],
        codeowners: false,
        text: 'the prompt of "plan" waits for approval by @carol or members of @acme/prompt-reviewers (with write permission): comment /approve, /reject <reason> or /retry [feedback]',
      },
    ]);
    r.comment('bob', '/approve');
    expect(r.replies[0]).toMatch(/^@bob cannot approve: only @carol/);
  });

  it('asks an AI approver to judge the prompt when the prompt gate is ai:<provider>', async () => {
    const r = await drive(
      flow(`
  - id: plan
    provider: writer
    instructions: Plan
    prompt_gate: ai:checker
  - id: done
`),
    );
    r.answer();
    expect(r.wait).toMatchObject({ for: 'action', step: 'approver', of: 'prompt', nonce: 'n2' });
    expect(r.effectsOf('dispatch')).toEqual([
      { type: 'dispatch', stage: 'plan', attempt: 1, nonce: 'n2', step: 'approver' },
    ]);
    r.approverSays('approved');
    expect(r.effectsOf('dispatch')).toEqual([
      { type: 'dispatch', stage: 'plan', attempt: 1, nonce: 'n3', step: 'response' },
    ]);
  });
});

describe('a command stage', () => {
  const CODE = flow(`
  - id: implement
    mode: command
    provider: agent
    instructions: Implement it
    prompt_gate: manual
    output: pull_request
    gate: review
  - id: done
`);

  it('works in the same two steps, and its output is the pull request head', async () => {
    const r = await drive(CODE);
    expect(r.effectsOf('dispatch')).toEqual([
      { type: 'dispatch', stage: 'implement', attempt: 1, nonce: 'n1', step: 'prompt' },
    ]);
    r.answer();
    expect(r.wait).toMatchObject({ for: 'approval', step: 'prompt' });
    r.comment('alice', '/approve');
    expect(r.effectsOf('dispatch')).toEqual([
      { type: 'dispatch', stage: 'implement', attempt: 1, nonce: 'n3', step: 'response' },
    ]);
    r.answer('implement', { sha: 'head-1' });
    expect(r.state.subject.head_sha).toBe('head-1');
    expect(r.wait).toMatchObject({ for: 'approval', step: 'response' });
    r.review('bob', 'approved', 'head-1');
    expect(r.status).toBe('completed');
  });
});

describe('a manual stage', () => {
  const MANUAL = flow(`
  - id: plan
    mode: manual
    gate: manual
  - id: done
`);

  it('waits for a person to supply its content and says so', async () => {
    const r = await drive(MANUAL);
    expect(r.status).toBe('awaiting_approval');
    expect(r.wait).toEqual({ for: 'content' });
    expect(r.effectsOf('dispatch')).toEqual([]);
    expect(r.effectsOf('notify').map((n) => n.text)).toEqual([
      'stage "plan" waits for its content from a person',
    ]);
  });

  it('refuses /approve before the content is there', async () => {
    const r = await drive(MANUAL);
    r.comment('alice', '/approve');
    expect(r.replies).toEqual(['Stage "plan" waits for its content first; nothing to approve yet.']);
  });

  it('opens its gate when the content arrives', async () => {
    const r = await drive(MANUAL);
    r.submit('plan', 'alice', 'plan-text');
    expect(r.record()?.output).toEqual({
      attempt: 1,
      sha256: 'plan-text',
      pointer: { comment_id: 800 },
      by: 'alice',
    });
    expect(r.wait).toEqual({ for: 'approval', step: 'response', opened_at: r.now });
    expect(r.history.at(-1)).toBe('plan: content from @alice');
    r.comment('bob', '/approve');
    expect(r.status).toBe('completed');
  });

  it('ignores content for a stage it is not in', async () => {
    const r = await drive(MANUAL);
    r.submit('done', 'alice');
    expect(r.wait).toEqual({ for: 'content' });
    expect(r.record()?.output).toBeUndefined();
  });
});

describe('a system stage', () => {
  it('emits its actions in order, then moves on through its gate', async () => {
    const r = await drive(
      flow(`
  - id: label
    run:
      - add_labels: [needs-human]
      - comment: "A person needs to look."
    next: done
  - id: done
    type: terminal
    run:
      - remove_labels: needs-human
    archive: { after_days: 7, lock: true }
`),
    );
    expect(r.effects.filter((e) => e.type === 'system.action' || e.type === 'subject.archive')).toEqual([
      { type: 'system.action', stage: 'label', action: { add_labels: ['needs-human'] } },
      { type: 'system.action', stage: 'label', action: { comment: 'A person needs to look.' } },
      { type: 'system.action', stage: 'done', action: { remove_labels: ['needs-human'] } },
      { type: 'subject.archive', after_days: 7, lock: true },
    ]);
    expect(r.status).toBe('completed');
    expect(r.state.completed_at).toBe(r.now);
    expect(r.history).toEqual(['started at label', 'label -> done', 'completed']);
  });

  it('waits at a manual gate after its actions, and runs them again on /retry', async () => {
    const r = await drive(
      flow(`
  - id: escalate
    run: [{ comment: "Please look." }]
    gate: manual
    next: done
  - id: done
`),
    );
    expect(r.status).toBe('awaiting_approval');
    r.comment('alice', '/retry');
    expect(r.effectsOf('system.action')).toEqual([
      { type: 'system.action', stage: 'escalate', action: { comment: 'Please look.' } },
    ]);
    expect(r.record()?.attempt).toBe(2);
    r.comment('alice', '/approve');
    expect(r.status).toBe('completed');
  });
});
