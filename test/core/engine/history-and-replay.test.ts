import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const PLAN = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: manual
    next: build
  - id: build
    provider: writer
    instructions: Build
    gate: ai:checker
  - id: done
`);

describe('the history', () => {
  it('records every transition with the actor, the event id, the time and the reason', async () => {
    const r = await drive(PLAN);
    r.answer();
    r.comment('alice', '/approve ship it');
    r.answer();
    r.approverSays('approved');
    expect(r.state.history).toEqual([
      {
        at: '2025-01-01T12:00:00.000Z',
        actor: 'author',
        event: 'e1',
        what: 'started at plan',
        reason: 'started by @author',
      },
      {
        at: '2025-01-01T12:01:00.000Z',
        actor: 'flowgate',
        event: 'e2',
        what: 'plan: output ready (attempt 1)',
      },
      {
        at: '2025-01-01T12:02:00.000Z',
        actor: 'alice',
        event: 'comment:101:1',
        what: 'plan: response approved by @alice (1 of 1)',
        reason: 'ship it',
      },
      {
        at: '2025-01-01T12:02:00.000Z',
        actor: 'alice',
        event: 'comment:101:1',
        what: 'plan -> build',
        reason: 'next',
      },
      {
        at: '2025-01-01T12:03:00.000Z',
        actor: 'flowgate',
        event: 'e3',
        what: 'build: output ready (attempt 1)',
      },
      {
        at: '2025-01-01T12:04:00.000Z',
        actor: 'ai:checker',
        event: 'e4',
        what: 'build: response approved by ai:checker',
      },
      {
        at: '2025-01-01T12:04:00.000Z',
        actor: 'flowgate',
        event: 'e4',
        what: 'build -> done',
        reason: 'next',
      },
      { at: '2025-01-01T12:04:00.000Z', actor: 'flowgate', event: 'e4', what: 'completed' },
    ]);
  });
});

describe('an event applied before', () => {
  it('changes nothing and emits nothing when it comes again', async () => {
    const r = await drive(PLAN);
    r.answer();
    r.comment('alice', '/approve');
    const before = r.state;
    const applied = r.log.length;
    for (let i = 0; i < applied; i++) {
      const again = r.replay(i);
      expect(again).toEqual({ state: before, effects: [], changed: false });
    }
    expect(r.state).toBe(before);
  });

  it('is remembered even when it was refused, so its reply is not repeated', async () => {
    const r = await drive(PLAN);
    r.answer();
    r.comment('reader', '/approve');
    expect(r.replies).toHaveLength(1);
    expect(r.last.changed).toBe(true);
    expect(r.state.seen).toContain('comment:101:1');
    const again = r.replay(r.log.length - 1);
    expect(again.effects).toEqual([]);
    expect(again.changed).toBe(false);
  });

  it('includes /status: asked once, answered once', async () => {
    const r = await drive(PLAN);
    r.comment('alice', '/status');
    expect(r.replies).toHaveLength(1);
    expect(r.replay(r.log.length - 1).effects).toEqual([]);
  });
});

describe('rev', () => {
  it('goes up by one with every step that changes the run', async () => {
    const r = await drive(PLAN);
    expect(r.state.rev).toBe(1);
    r.answer();
    expect(r.state.rev).toBe(2);
    r.comment('alice', '/approve');
    expect(r.state.rev).toBe(3);
    r.timer(1);
    expect(r.last.changed).toBe(false);
    expect(r.state.rev).toBe(3);
    expect(r.state.updated_at).toBe('2025-01-01T12:02:00.000Z');
  });
});

describe('a result from the Action', () => {
  describe('with the wrong nonce', () => {
    it('is not applied, and the history notes it', async () => {
      const r = await drive(PLAN);
      r.answer('plan', { nonce: 'forged' });
      expect(r.record()?.output).toBeUndefined();
      expect(r.status).toBe('running');
      expect(r.state.history.at(-1)).toEqual({
        at: r.now,
        actor: 'flowgate',
        event: 'e2',
        what: 'ignored an output for plan',
        reason: 'the run is not waiting for it (stale attempt or wrong nonce)',
      });
    });
  });

  describe('for an earlier attempt', () => {
    it('is not applied', async () => {
      const r = await drive(PLAN);
      r.answer('plan', { sha: 'first' });
      r.comment('alice', '/retry');
      r.answer('plan', { sha: 'stale', nonce: 'n1' });
      expect(r.record()?.output).toMatchObject({ attempt: 1, sha256: 'first' });
      expect(r.wait).toMatchObject({ for: 'action', step: 'response' });
    });
  });

  describe('for another stage', () => {
    it('is not applied', async () => {
      const r = await drive(PLAN);
      r.answer('build');
      expect(r.record('build')).toBeUndefined();
      expect(r.record('plan')?.output).toBeUndefined();
    });
  });

  describe('from an AI approver with the wrong nonce', () => {
    it('is not applied', async () => {
      const r = await drive(PLAN);
      r.answer();
      r.comment('alice', '/approve');
      r.answer();
      r.approverSays('approved', '', { nonce: 'forged' });
      expect(r.stage).toBe('build');
      expect(r.record()?.approvals).toEqual([]);
      expect(r.history.at(-1)).toBe('ignored an AI decision for build');
    });
  });
});
