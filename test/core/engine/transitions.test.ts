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
    it('fails the run and says so', async () => {
      const r = await drive(
        flow(`
  - id: review
    provider: checker
    instructions: Review
    verdict: true
    transitions:
      - { to: done, when: 'verdict == "pass"' }
  - id: done
`),
      );
      r.answer('review', { verdict: 'fail' });
      expect(r.status).toBe('failed');
      expect(r.state.last_error).toBe('no transition of stage "review" matched, and it has no fallback');
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
