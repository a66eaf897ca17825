import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/action-output.ts';
import { step } from '../../../src/core/engine/step.ts';
import { actor, drive, flow } from './driver.ts';

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

  it('waits for a person to supply its content and asks for it, mentioning the approvers', async () => {
    const r = await drive(
      MANUAL.replace('gate: manual', 'gate: { approver: manual, approvers: { users: [dana] } }'),
    );
    expect(r.status).toBe('awaiting_approval');
    expect(r.wait).toEqual({ for: 'content' });
    expect(r.effectsOf('dispatch')).toEqual([]);
    expect(r.effectsOf('notify')).toEqual([]);
    expect(r.effectsOf('content.request')).toEqual([
      { type: 'content.request', stage: 'plan', attempt: 1, users: ['dana'], teams: [], codeowners: false },
    ]);
  });

  it('refuses /approve before the content is there', async () => {
    const r = await drive(MANUAL);
    r.comment('alice', '/approve');
    expect(r.replies).toEqual(['Stage "plan" waits for its content first; nothing to approve yet.']);
  });

  it('takes the text of a /submit as its content, says so, and opens its gate', async () => {
    const r = await drive(MANUAL);
    r.submit('alice', 'plan-text');
    expect(r.record()?.output).toEqual({
      attempt: 1,
      sha256: sha256Hex('plan-text'),
      pointer: { comment_id: 101 },
      by: 'alice',
    });
    expect(r.replies).toEqual([
      'Taken: this comment is the content of stage "plan" (attempt 1), submitted by @alice.',
    ]);
    expect(r.effectsOf('react')).toEqual([{ type: 'react', comment_id: 101, reaction: '+1' }]);
    expect(r.wait).toEqual({ for: 'approval', step: 'response', opened_at: r.now });
    expect(r.history.at(-1)).toBe('plan: content from @alice');
    r.comment('bob', '/approve');
    expect(r.status).toBe('completed');
  });

  it('refuses a /submit from someone without write permission', async () => {
    const r = await drive(MANUAL);
    r.submit('reader', 'plan-text');
    expect(r.replies).toEqual([
      '@reader cannot submit: handing in content needs write permission on this repository, and @reader has read.',
    ]);
    expect(r.wait).toEqual({ for: 'content' });
  });

  it('refuses a second /submit while the first waits for approval, and says how to ask for new content', async () => {
    const r = await drive(MANUAL);
    r.submit('alice', 'v1');
    r.submit('alice', 'v2');
    expect(r.replies).toEqual([
      'Nothing was taken: stage "plan" has its content for attempt 1 already. `demo` waits for approval of the response at stage "plan". Used 0 tokens, $0.0000. `/retry [feedback]` or `/reject <reason>` by an approver asks for new content.',
    ]);
    expect(r.record()?.output?.sha256).toBe(sha256Hex('v1'));
  });

  it('refuses a /submit on a stage that is not manual', async () => {
    const r = await drive(
      flow(`
  - id: plan
    provider: writer
    instructions: Plan it.
    gate: manual
  - id: done
`),
    );
    r.submit('alice', 'my own plan');
    expect(r.replies).toEqual([
      'Nothing was taken: `/submit` hands in the content of a manual stage, and stage "plan" is an ai stage. `demo` is running stage "plan". Used 0 tokens, $0.0000.',
    ]);
  });

  it('on /reject asks for new content at once, with the reason as feedback, and dispatches nothing', async () => {
    const r = await drive(MANUAL);
    r.submit('alice', 'v1');
    r.comment('bob', '/reject No rollback step.');
    expect(r.status).toBe('awaiting_approval');
    expect(r.wait).toEqual({ for: 'content' });
    expect(r.record()).toMatchObject({ attempt: 2, retries: 1, feedback: 'No rollback step.' });
    expect(r.effectsOf('dispatch')).toEqual([]);
    expect(r.effectsOf('content.request')).toEqual([
      {
        type: 'content.request',
        stage: 'plan',
        attempt: 2,
        users: [],
        teams: [],
        codeowners: false,
        feedback: { by: 'bob', text: 'No rollback step.' },
      },
    ]);
    r.submit('alice', 'v2');
    expect(r.record()?.output).toMatchObject({ attempt: 2, sha256: sha256Hex('v2') });
  });

  it('on /retry asks for new content, with the feedback, and dispatches nothing', async () => {
    const r = await drive(MANUAL);
    r.submit('alice', 'v1');
    r.comment('bob', '/retry Add the tests.');
    expect(r.wait).toEqual({ for: 'content' });
    expect(r.effectsOf('dispatch')).toEqual([]);
    expect(r.effectsOf('content.request')[0]).toMatchObject({
      attempt: 2,
      feedback: { by: 'bob', text: 'Add the tests.' },
    });
  });
});

describe('a /submit in a comment older than the wait for content', () => {
  it('is refused, by comment id or by time, so that text from before the wait is never content', async () => {
    const r = await drive(
      flow(`
  - id: plan
    mode: manual
    gate: manual
  - id: done
`),
    );
    const submit = (comment: number, at: string) =>
      step(
        r.workflow,
        structuredClone(r.state),
        {
          id: `comment:${comment}:1`,
          type: 'command.received',
          command: { kind: 'submit', text: 'Old plan.', line: 1, raw: '/submit Old plan.' },
          actor: actor('alice'),
          comment_id: comment,
        },
        { now: r.now, nonce: 'n', at, comment_id: comment },
      );
    const bound = (wait: Record<string, unknown>) => {
      r.state = { ...r.state, wait: { for: 'content', ...wait } };
    };
    bound({ after: 50 });
    expect(submit(40, r.now).effects).toContainEqual({
      type: 'reply',
      to: 40,
      text: 'Nothing was taken: this comment is older than the request for the content of attempt 1 of stage "plan". Submit it again in a new comment.',
    });
    expect(submit(60, r.now).state.stages.plan?.output?.by).toBe('alice');
    bound({ since: '2025-01-01T12:30:00.000Z' });
    expect(submit(40, '2025-01-01T12:29:00.000Z').state.stages.plan?.output).toBeUndefined();
    expect(submit(40, '2025-01-01T12:30:00.000Z').state.stages.plan?.output?.by).toBe('alice');
  });
});

describe('a manual stage judged by an AI approver', () => {
  const JUDGED = flow(`
  - id: plan
    mode: manual
    gate: { approver: "ai:checker", max_retries: 1 }
  - id: done
`);

  it('asks the approver about the content, and moves on when it approves', async () => {
    const r = await drive(JUDGED);
    r.submit('alice', 'v1');
    expect(r.effectsOf('dispatch')).toMatchObject([{ stage: 'plan', attempt: 1, step: 'approver' }]);
    r.approverSays('approved');
    expect(r.status).toBe('completed');
  });

  it('on a rejection asks the person for new content with the feedback, never a model for a response', async () => {
    const r = await drive(JUDGED);
    r.submit('alice', 'v1');
    r.approverSays('rejected', 'No rollback step.');
    expect(r.status).toBe('awaiting_approval');
    expect(r.wait).toEqual({ for: 'content' });
    expect(r.effectsOf('dispatch')).toEqual([]);
    expect(r.effectsOf('content.request')).toEqual([
      {
        type: 'content.request',
        stage: 'plan',
        attempt: 2,
        users: [],
        teams: [],
        codeowners: false,
        feedback: { by: 'ai:checker', text: 'No rollback step.' },
      },
    ]);
    r.submit('alice', 'v2');
    expect(r.effectsOf('dispatch')).toMatchObject([{ stage: 'plan', attempt: 2, step: 'approver' }]);
  });

  it('fails the run after max_retries rejections plus one, and /retry asks for content again', async () => {
    const r = await drive(JUDGED);
    r.submit('alice', 'v1');
    r.approverSays('rejected', 'No.');
    r.submit('alice', 'v2');
    r.approverSays('rejected', 'Still no.');
    expect(r.status).toBe('failed');
    expect(r.state.last_error).toBe(
      'ai:checker rejected the response of "plan" 2 times (max_retries 1); last feedback: Still no.',
    );
    r.comment('bob', '/retry Write it with the rollback first.');
    expect(r.wait).toEqual({ for: 'content' });
    expect(r.record()).toMatchObject({ attempt: 3, visit_retries: 0 });
    expect(r.effectsOf('dispatch')).toEqual([]);
    expect(r.effectsOf('content.request')[0]?.feedback).toEqual({
      by: 'bob',
      text: 'Write it with the rollback first.',
    });
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
