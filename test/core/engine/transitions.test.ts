import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const REVIEW_LOOP = flow(`
  - id: review
    provider: checker
    instructions: Review
    verdict: true
    transitions:
      - { to: done, when: 'verdict == "pass"' }
      - { to: revise, when: 'verdict == "fail" && attempt < 3' }
      - escalate
  - id: revise
    provider: writer
    instructions: Revise
    next: review
  - id: escalate
    run: [{ add_labels: [needs-human] }]
    next: done
  - id: done
`);

describe('moving on from a stage', () => {
  it('follows next', async () => {
    const r = await drive(
      flow(`
  - id: a
    type: entry
    provider: writer
    instructions: A
    next: c
  - id: b
    type: entry
    provider: writer
    instructions: B
  - id: c
    type: terminal
`),
    );
    r.answer();
    expect(r.stage).toBe('c');
    expect(r.state.history.find((h) => h.what === 'a -> c')?.reason).toBe('next');
  });

  it('falls back to file order when no next is given', async () => {
    const r = await drive(
      flow(`
  - id: a
    provider: writer
    instructions: A
  - id: b
    provider: writer
    instructions: B
  - id: c
`),
    );
    r.answer();
    expect(r.stage).toBe('b');
  });

  describe('by a condition on the verdict', () => {
    it('takes the first transition whose condition holds', async () => {
      const r = await drive(REVIEW_LOOP);
      r.answer('review', { verdict: 'pass' });
      expect(r.status).toBe('completed');
      expect(r.state.history.find((h) => h.what === 'review -> done')?.reason).toBe('when verdict == "pass"');
    });

    it('loops to revise on FAIL while attempt < 3, then falls back to escalate', async () => {
      const r = await drive(REVIEW_LOOP);
      r.answer('review', { verdict: 'fail' });
      expect(r.stage).toBe('revise');
      r.answer();
      r.answer('review', { verdict: 'fail' });
      expect(r.stage).toBe('revise');
      r.answer();
      expect(r.record('review')?.attempt).toBe(3);
      r.answer('review', { verdict: 'fail' });
      expect(r.history.slice(-3)).toEqual(['review -> escalate', 'escalate -> done', 'completed']);
      expect(r.state.history.find((h) => h.what === 'review -> escalate')?.reason).toBe('fallback');
    });
  });

  describe.each([
    ['retries', 'retries >= 1', (r: Awaited<ReturnType<typeof drive>>) => r.comment('alice', '/retry')],
    ['labels', '"urgent" in labels', undefined],
    ['subject', 'subject.author == "author" && subject.type == "issue" && subject.number == 7', undefined],
    ['outputs.<id>.verdict', 'outputs.check.verdict == "fail" && outputs.check.approved', undefined],
  ])('by a condition on %s', (_name, condition, before) => {
    it('moves when it holds', async () => {
      const r = await drive(
        flow(`
  - id: check
    provider: checker
    instructions: Check
    verdict: true
    gate: manual
    transitions:
      - { to: special, when: '${condition}' }
      - done
  - id: special
    provider: writer
    instructions: Special
    next: done
  - id: done
`),
        { subject: { labels: ['urgent'] } },
      );
      r.answer('check', { verdict: 'fail' });
      if (before !== undefined) {
        before(r);
        r.answer('check', { verdict: 'fail' });
      }
      r.comment('bob', '/approve');
      expect(r.stage).toBe('special');
    });
  });

  describe('by the model’s choice among when_ai transitions', () => {
    const TRIAGE = flow(`
  - id: triage
    provider: checker
    instructions: Triage
    transitions:
      - { to: fix, when_ai: "It is a bug with enough detail." }
      - { to: ask, when_ai: "Details are missing." }
      - human
  - id: fix
    provider: writer
    instructions: Fix
    next: done
  - id: ask
    run: [{ comment: "Please add details." }]
    next: done
  - id: human
    run: [{ add_labels: [needs-human] }]
    next: done
  - id: done
`);

    it('takes the transition the model chose', async () => {
      const r = await drive(TRIAGE);
      r.answer('triage', { choice: 'ask' });
      expect(r.record('triage')?.output?.choice).toBe('ask');
      expect(r.state.history.find((h) => h.what === 'triage -> ask')?.reason).toBe(
        'the model chose: Details are missing.',
      );
    });

    it('falls back when the model chose none of them', async () => {
      const r = await drive(TRIAGE);
      r.answer('triage', { choice: 'somewhere' });
      expect(r.history).toContain('triage -> human');
    });

    it('falls back when the model chose nothing', async () => {
      const r = await drive(TRIAGE);
      r.answer('triage');
      expect(r.history).toContain('triage -> human');
    });
  });

  describe('when no transition matches and there is no fallback', () => {
    const WAITS = flow(`
  - id: review
    provider: checker
    instructions: Review
    verdict: true
    gate: skip
    transitions:
      - { to: done, when: 'verdict == "pass"' }
      - { to: build, when: '"ready" in labels' }
  - id: build
    provider: writer
    instructions: Build
    gate: skip
    next: done
  - id: done
`);

    it('waits in the stage for a condition, and says which', async () => {
      const r = await drive(WAITS);
      r.answer('review', { verdict: 'fail' });
      expect(r.status).toBe('running');
      expect(r.stage).toBe('review');
      expect(r.state.wait).toEqual({ for: 'condition', since: r.state.updated_at });
      expect(r.state.history.at(-1)).toMatchObject({
        what: 'review: waiting for a transition condition',
        reason: 'verdict == "pass" (to done); "ready" in labels (to build)',
      });
      r.comment('alice', '/status');
      expect(r.replies.at(-1)).toContain(
        'waits at stage "review" for a transition condition to hold: `verdict == "pass"` (to "done") or `"ready" in labels` (to "build")',
      );
    });

    it('moves on once a later event finds a condition holding, over the labels read now', async () => {
      const r = await drive(WAITS);
      r.answer('review', { verdict: 'fail' });
      r.labels = ['bug'];
      expect(r.send({ type: 'subject.changed' }).changed).toBe(false);
      expect(r.state.wait?.for).toBe('condition');
      r.labels = ['bug', 'ready'];
      r.send({ type: 'subject.changed' });
      expect(r.stage).toBe('build');
      expect(r.state.history.find((h) => h.what === 'review -> build')?.reason).toBe(
        'when "ready" in labels',
      );
    });

    it('reads the labels of now when the stage is left, not those the run started with', async () => {
      const r = await drive(WAITS);
      r.labels = ['ready'];
      r.answer('review', { verdict: 'fail' });
      expect(r.stage).toBe('build');
    });

    it('answers /approve with what it waits for, and /flowgate goto and /cancel still work', async () => {
      const r = await drive(WAITS);
      r.answer('review', { verdict: 'fail' });
      r.comment('alice', '/approve');
      expect(r.replies.at(-1)).toMatch(
        /^Nothing to approve: stage "review" was approved and waits for a transition condition to hold \(`verdict == "pass"`/,
      );
      r.comment('maintainer', '/flowgate goto build');
      expect(r.stage).toBe('build');
      r.comment('alice', '/cancel');
      expect(r.status).toBe('cancelled');
    });

    it('evaluates again on /resume after a pause', async () => {
      const r = await drive(WAITS);
      r.answer('review', { verdict: 'fail' });
      r.comment('alice', '/pause');
      r.labels = ['ready'];
      r.send({ type: 'subject.changed' });
      expect(r.status).toBe('paused');
      r.comment('alice', '/resume');
      expect(r.stage).toBe('build');
    });

    it('fails the run when only the model could decide and it chose none', async () => {
      const r = await drive(
        flow(`
  - id: triage
    provider: checker
    instructions: Triage
    gate: skip
    transitions:
      - { to: done, when_ai: 'It is small' }
  - id: done
`),
      );
      r.answer('triage');
      expect(r.status).toBe('failed');
      expect(r.state.last_error).toBe('no transition of stage "triage" matched, and it has no fallback');
    });
  });

  describe('when a condition errors', () => {
    it('fails the run with the condition and the error', async () => {
      const r = await drive(
        flow(`
  - id: review
    provider: checker
    instructions: Review
    transitions:
      - { to: done, when: 'outputs.nowhere.verdict == "pass"' }
      - done
  - id: done
`),
      );
      r.answer();
      expect(r.status).toBe('failed');
      expect(r.state.last_error).toMatch(
        /^the condition outputs\.nowhere\.verdict == "pass" of stage "review" failed: .*nowhere/,
      );
      expect(r.history.at(-1)).toBe('failed');
    });
  });

  describe('with a delay', () => {
    const DELAYED = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    delay: 10m
  - id: done
`);

    it('waits for a timer before entering the next stage', async () => {
      const r = await drive(DELAYED);
      r.answer();
      expect(r.stage).toBe('plan');
      expect(r.wait).toEqual({ for: 'delay', until: '2025-01-01T12:11:00.000Z', to: 'done' });
      expect(r.effectsOf('timer.schedule')).toEqual([
        { type: 'timer.schedule', at: '2025-01-01T12:11:00.000Z' },
      ]);
      expect(r.history.at(-1)).toBe('waiting until 2025-01-01T12:11:00.000Z before done');
    });

    it('ignores a timer that fires early', async () => {
      const r = await drive(DELAYED);
      r.answer();
      expect(r.timer(5).changed).toBe(false);
      expect(r.stage).toBe('plan');
    });

    it('moves on when the timer fires at the time', async () => {
      const r = await drive(DELAYED);
      r.answer();
      r.timer(10);
      expect(r.status).toBe('completed');
      expect(r.state.history.find((h) => h.what === 'plan -> done')).toMatchObject({
        actor: 'flowgate',
        reason: 'delay over',
      });
    });

    it('after waiting for a condition, still waits out the delay', async () => {
      const r = await drive(
        flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: skip
    delay: 10m
    transitions:
      - { to: done, when: '"ready" in labels' }
  - id: done
`),
      );
      r.answer();
      expect(r.wait?.for).toBe('condition');
      r.labels = ['ready'];
      r.send({ type: 'subject.changed' });
      expect(r.wait).toMatchObject({ for: 'delay', to: 'done' });
      r.timer(10);
      expect(r.status).toBe('completed');
    });

    it('answers /approve with what it waits for', async () => {
      const r = await drive(DELAYED);
      r.answer();
      r.comment('alice', '/approve');
      expect(r.replies).toEqual([
        'The run waits until 2025-01-01T12:11:00.000Z before moving to "done"; nothing to approve.',
      ]);
    });
  });
});
