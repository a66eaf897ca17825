import { describe, expect, it } from 'vitest';
import { helpText } from '../../../src/core/commands/help-text.ts';
import { drive, flow } from './driver.ts';

const PLAN = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: manual
    next: review
  - id: review
    provider: checker
    instructions: Review
    verdict: true
    gate: manual
    transitions:
      - { to: done, when: 'verdict == "pass"' }
      - revise
  - id: revise
    provider: writer
    instructions: Revise
    next: review
  - id: done
`);

/** A run whose plan output waits for approval. */
async function planWaiting() {
  const r = await drive(PLAN);
  r.answer();
  return r;
}

/** A run whose review (with the given verdict) waits for approval. */
async function reviewWaiting(verdict: 'pass' | 'fail') {
  const r = await planWaiting();
  r.comment('alice', '/approve');
  r.answer('review', { verdict, comment_id: 555 });
  expect(r.wait).toMatchObject({ for: 'approval', step: 'response' });
  return r;
}

describe('/reject', () => {
  it('halts the run with the reason until someone retries', async () => {
    const r = await planWaiting();
    r.comment('alice', '/reject the plan ignores mobile');
    expect(r.status).toBe('paused');
    expect(r.state.resume).toEqual({
      status: 'awaiting_approval',
      reason: 'the response of "plan" was rejected by @alice: the plan ignores mobile',
      action: 'retry',
    });
    expect(r.record()?.rejections).toEqual([
      {
        by: 'alice',
        attempt: 1,
        at: r.now,
        step: 'response',
        reason: 'the plan ignores mobile',
        via: 'command',
        event: 'comment:101:1',
      },
    ]);
    expect(r.effectsOf('react')).toHaveLength(1);
  });

  it('is not undone by /resume, which points to /retry', async () => {
    const r = await planWaiting();
    r.comment('alice', '/reject no');
    r.comment('alice', '/resume');
    expect(r.replies).toEqual([
      'The run stopped because the response of "plan" was rejected by @alice: no. `/retry [feedback]` runs the stage again; `/cancel` ends the run.',
    ]);
    expect(r.status).toBe('paused');
  });

  it('leaves nothing to approve', async () => {
    const r = await planWaiting();
    r.comment('alice', '/reject no');
    r.comment('bob', '/approve');
    expect(r.replies[0]).toMatch(/^Nothing waits for approval: `demo` is paused at stage "plan"/);
  });
});

describe('/retry', () => {
  describe('with feedback, at an open gate', () => {
    it('runs the stage again as a new attempt, with the feedback recorded', async () => {
      const r = await planWaiting();
      r.comment('alice', '/retry cover mobile too');
      expect(r.status).toBe('running');
      expect(r.record()).toMatchObject({ attempt: 2, retries: 1, feedback: 'cover mobile too' });
      expect(r.effectsOf('dispatch')).toEqual([
        { type: 'dispatch', stage: 'plan', attempt: 2, nonce: 'n3', step: 'response' },
      ]);
      expect(r.state.history.at(-1)).toMatchObject({
        actor: 'alice',
        what: 'plan: retry requested by @alice',
        reason: 'cover mobile too',
      });
    });

    it('does not let approvals of the earlier attempt count', async () => {
      const r = await drive(
        flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: { approver: manual, min_approvals: 2 }
  - id: done
`),
      );
      r.answer('plan', { sha: 'same' });
      r.comment('alice', '/approve');
      r.comment('bob', '/retry');
      r.answer('plan', { sha: 'same' });
      r.comment('bob', '/approve');
      expect(r.status).toBe('awaiting_approval');
    });
  });

  describe('after /reject', () => {
    it('goes on with a new attempt and clears the halt', async () => {
      const r = await planWaiting();
      r.comment('alice', '/reject no');
      r.comment('bob', '/retry add tests');
      expect(r.status).toBe('running');
      expect(r.state.resume).toBeUndefined();
      expect(r.record()).toMatchObject({ attempt: 2, feedback: 'add tests' });
    });
  });

  describe('without feedback', () => {
    it('forgets the feedback of the previous retry', async () => {
      const r = await planWaiting();
      r.comment('alice', '/retry first');
      r.answer();
      r.comment('alice', '/retry');
      expect(r.record()?.feedback).toBeUndefined();
      expect(r.record()?.attempt).toBe(3);
    });
  });

  describe('while the stage is still working', () => {
    it('refuses and says so', async () => {
      const r = await drive(PLAN);
      r.comment('alice', '/retry');
      expect(r.replies).toEqual(['Nothing to retry: stage "plan" is still working on attempt 1.']);
    });
  });

  describe('from someone who may not decide the gate', () => {
    it('refuses', async () => {
      const r = await planWaiting();
      r.comment('author', '/retry');
      expect(r.replies).toEqual(['@author cannot retry: the author of this issue cannot approve it.']);
      expect(r.record()?.attempt).toBe(1);
    });
  });

  describe('on a failed run', () => {
    it('needs write permission, and runs the stage again', async () => {
      const r = await drive(PLAN);
      r.failStage('runner lost');
      r.comment('reader', '/retry');
      expect(r.replies).toEqual(['@reader cannot retry: it needs write permission, and @reader has read.']);
      r.comment('alice', '/retry');
      expect(r.status).toBe('running');
      expect(r.state.last_error).toBeUndefined();
      expect(r.effectsOf('dispatch')).toEqual([
        { type: 'dispatch', stage: 'plan', attempt: 2, nonce: 'n4', step: 'response' },
      ]);
    });
  });
});

describe('/approve --complete and --revise', () => {
  it('--complete overrides a FAIL, rewrites the stored verdict and finishes', async () => {
    const r = await reviewWaiting('fail');
    r.comment('bob', '/approve --complete the failures are flaky tests');
    expect(r.record('review')?.output?.verdict).toBe('pass');
    expect(r.effectsOf('output.rewrite_verdict')).toEqual([
      { type: 'output.rewrite_verdict', stage: 'review', pointer: { comment_id: 555 }, verdict: 'pass' },
    ]);
    expect(r.history).toContain('review: verdict set to PASS by @bob');
    expect(r.status).toBe('completed');
  });

  it('--revise overrides a PASS and sends the work to revise', async () => {
    const r = await reviewWaiting('pass');
    r.comment('bob', '/approve --revise');
    expect(r.record('review')?.output?.verdict).toBe('fail');
    expect(r.effectsOf('output.rewrite_verdict')).toEqual([
      { type: 'output.rewrite_verdict', stage: 'review', pointer: { comment_id: 555 }, verdict: 'fail' },
    ]);
    expect(r.stage).toBe('revise');
  });

  it('rewrites nothing when the verdict already agrees', async () => {
    const r = await reviewWaiting('pass');
    r.comment('bob', '/approve --complete');
    expect(r.effectsOf('output.rewrite_verdict')).toEqual([]);
    expect(r.status).toBe('completed');
  });

  it('plain /approve follows the verdict as written', async () => {
    const r = await reviewWaiting('fail');
    r.comment('bob', '/approve');
    expect(r.stage).toBe('revise');
  });

  it('is refused on a stage without a verdict', async () => {
    const r = await planWaiting();
    r.comment('bob', '/approve --complete');
    expect(r.replies).toEqual([
      '`--complete` overrides a review verdict, but stage "plan" has no verdict (it needs `verdict: true`).',
    ]);
    expect(r.stage).toBe('plan');
  });

  it('is refused from someone who may not approve, without touching the verdict', async () => {
    const r = await reviewWaiting('fail');
    r.comment('reader', '/approve --complete');
    expect(r.record('review')?.output?.verdict).toBe('fail');
    expect(r.effectsOf('output.rewrite_verdict')).toEqual([]);
  });
});

describe('/pause', () => {
  it('pauses a waiting run, and /resume brings it back to the gate', async () => {
    const r = await planWaiting();
    r.comment('alice', '/pause');
    expect(r.status).toBe('paused');
    expect(r.state.resume).toEqual({
      status: 'awaiting_approval',
      reason: 'paused by @alice',
      action: 'continue',
    });
    expect(r.effectsOf('labels.set')[0]?.add).toEqual(['flowgate: plan']);
    r.comment('bob', '/resume');
    expect(r.status).toBe('awaiting_approval');
    expect(r.history.slice(-2)).toEqual(['paused', 'resumed by @bob']);
  });

  it('keeps results that arrive while paused, and acts on them at /resume', async () => {
    const r = await drive(PLAN);
    r.comment('alice', '/pause');
    r.answer();
    expect(r.status).toBe('paused');
    expect(r.record()?.output).toBeDefined();
    r.comment('alice', '/resume');
    expect(r.status).toBe('awaiting_approval');
  });

  it('holds while an AI approver rejects: nothing is dispatched until /resume', async () => {
    const r = await drive(
      flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: ai:checker
  - id: done
`),
    );
    r.answer();
    r.comment('alice', '/pause');
    r.approverSays('rejected', 'shorter');
    expect(r.status).toBe('paused');
    expect(r.effectsOf('dispatch')).toEqual([]);
    expect(r.record()?.feedback).toBe('shorter');
    r.comment('alice', '/resume');
    expect(r.status).toBe('running');
    expect(r.effectsOf('dispatch')).toEqual([expect.objectContaining({ step: 'response', attempt: 2 })]);
  });

  it('is refused from someone without write permission', async () => {
    const r = await planWaiting();
    r.comment('reader', '/pause');
    expect(r.replies).toEqual(['@reader cannot pause: it needs write permission, and @reader has read.']);
    expect(r.status).toBe('awaiting_approval');
  });

  it('says so when the run is already paused', async () => {
    const r = await planWaiting();
    r.comment('alice', '/pause');
    r.comment('alice', '/pause');
    expect(r.replies).toEqual(['The run is already paused; `/resume` continues it.']);
  });

  it('is refused on a failed run', async () => {
    const r = await drive(PLAN);
    r.failStage('boom');
    r.comment('alice', '/pause');
    expect(r.replies).toEqual(['The run has failed; `/retry` runs the stage again, `/cancel` ends it.']);
  });
});

describe('/resume', () => {
  it('says so when the run is not paused', async () => {
    const r = await planWaiting();
    r.comment('alice', '/resume');
    expect(r.replies).toEqual(['The run is not paused.']);
  });

  it('points a failed run to /retry', async () => {
    const r = await drive(PLAN);
    r.failStage('boom');
    r.comment('alice', '/resume');
    expect(r.replies).toEqual([
      'The run has failed; `/retry [feedback]` runs the stage again, `/cancel` ends it.',
    ]);
  });
});

describe('/cancel', () => {
  it('ends the run for good', async () => {
    const r = await planWaiting();
    r.comment('alice', '/cancel');
    expect(r.status).toBe('cancelled');
    expect(r.wait).toBeUndefined();
    expect(r.state.completed_at).toBe(r.now);
    expect(r.effectsOf('check.update')).toEqual([
      { type: 'check.update', status: 'completed', conclusion: 'cancelled' },
    ]);
    expect(r.effectsOf('labels.set')).toEqual([
      {
        type: 'labels.set',
        add: [],
        remove: [
          'flowgate: plan',
          'flowgate: review',
          'flowgate: revise',
          'flowgate: done',
          'flowgate: awaiting approval',
        ],
      },
    ]);
  });

  it('leaves a run that later commands only answer', async () => {
    const r = await planWaiting();
    r.comment('alice', '/cancel');
    const before = r.state;
    r.comment('alice', '/approve');
    expect(r.replies).toEqual([
      'This run is cancelled; nothing more can happen in it. Start a new one with `/flowgate start demo`.',
    ]);
    expect(r.last.changed).toBe(false);
    expect(r.state).toBe(before);
    r.comment('alice', '/status');
    expect(r.replies).toEqual(['`demo` is cancelled (last stage "plan"). Used 150 tokens, $0.0100.']);
  });

  it('ignores late results', async () => {
    const r = await drive(PLAN);
    r.comment('alice', '/cancel');
    expect(r.answer('plan', { nonce: 'n1' })).toEqual({ state: r.state, effects: [], changed: false });
  });

  it('is refused from someone without write permission', async () => {
    const r = await planWaiting();
    r.comment('reader', '/cancel');
    expect(r.replies).toEqual(['@reader cannot cancel: it needs write permission, and @reader has read.']);
  });
});

describe('/status', () => {
  it('answers where the run is and what it has used', async () => {
    const r = await planWaiting();
    r.comment('reader', '/status');
    expect(r.replies).toEqual([
      '`demo` waits for approval of the response at stage "plan". Used 150 tokens, $0.0100.',
    ]);
  });
});

describe('/flowgate help', () => {
  it('answers with the commands', async () => {
    const r = await planWaiting();
    r.comment('reader', '/flowgate help');
    expect(r.replies).toEqual([helpText()]);
  });
});

describe('/flowgate goto', () => {
  describe('along a declared transition, from a maintainer', () => {
    it('moves the run and records who moved it', async () => {
      const r = await reviewWaiting('pass');
      r.comment('maintainer', '/flowgate goto revise');
      expect(r.stage).toBe('revise');
      expect(r.state.history.at(-1)).toMatchObject({
        actor: 'maintainer',
        what: 'review -> revise',
        reason: 'moved by @maintainer',
      });
      expect(r.effectsOf('dispatch')).toEqual([
        expect.objectContaining({ stage: 'revise', step: 'response' }),
      ]);
    });
  });

  describe('from someone with only write permission', () => {
    it('refuses', async () => {
      const r = await reviewWaiting('pass');
      r.comment('alice', '/flowgate goto revise');
      expect(r.replies).toEqual([
        '@alice cannot move the run: it needs maintain permission, and @alice has write.',
      ]);
      expect(r.stage).toBe('review');
    });
  });

  describe('to a stage no transition leads to', () => {
    it('refuses and names the ways out', async () => {
      const r = await planWaiting();
      r.comment('maintainer', '/flowgate goto done');
      expect(r.replies).toEqual([
        '`/flowgate goto` follows a declared transition of "plan" (to review); an admin can add `--force`.',
      ]);
      expect(r.stage).toBe('plan');
    });
  });

  describe('with --force', () => {
    it('moves an admin anywhere', async () => {
      const r = await planWaiting();
      r.comment('admin', '/flowgate goto done --force');
      expect(r.status).toBe('completed');
      expect(r.state.history.find((h) => h.what === 'plan -> done')?.reason).toBe('moved by @admin (forced)');
    });

    it('is refused to a maintainer', async () => {
      const r = await planWaiting();
      r.comment('maintainer', '/flowgate goto done --force');
      expect(r.replies).toEqual([
        '@maintainer cannot force a move: it needs admin permission, and @maintainer has maintain.',
      ]);
    });
  });

  describe('to a stage that does not exist', () => {
    it('refuses and suggests the nearest', async () => {
      const r = await planWaiting();
      r.comment('maintainer', '/flowgate goto reveiw');
      expect(r.replies).toEqual([
        'There is no stage "reveiw" (did you mean "review"?). Stages: plan, review, revise, done.',
      ]);
    });
  });

  describe('on a failed run', () => {
    it('moves it and clears the failure', async () => {
      const r = await drive(PLAN);
      r.failStage('boom');
      r.comment('maintainer', '/flowgate goto review');
      expect(r.status).toBe('running');
      expect(r.state.last_error).toBeUndefined();
      expect(r.stage).toBe('review');
    });
  });
});
