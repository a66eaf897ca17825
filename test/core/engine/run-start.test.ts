import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const PLAN_DONE = flow(`
  - id: intro
    type: entry
    mode: manual
    next: plan
  - id: plan
    type: entry
    provider: writer
    instructions: Plan {{ subject.title }}
    next: done
  - id: done
`);

describe('starting a run', () => {
  it('enters the first entry stage and asks the Action for its output', async () => {
    const r = await drive(PLAN_DONE);
    expect(r.status).toBe('awaiting_approval');
    expect(r.stage).toBe('intro');
    expect(r.last.changed).toBe(true);
    expect(r.state.rev).toBe(1);
    expect(r.state.seen).toEqual(['e1']);
    expect(r.state.started_at).toBe('2025-01-01T12:00:00.000Z');
    expect(r.state.definition).toBe('def-1');
    expect(r.state.history).toEqual([
      {
        at: '2025-01-01T12:00:00.000Z',
        actor: 'author',
        event: 'e1',
        what: 'started at intro',
        reason: 'started by @author',
      },
    ]);
  });

  it('starts at the entry stage the event names', async () => {
    const r = await drive(PLAN_DONE, { entry: 'plan' });
    expect(r.stage).toBe('plan');
    expect(r.status).toBe('running');
    expect(r.effectsOf('dispatch')).toEqual([
      { type: 'dispatch', stage: 'plan', attempt: 1, nonce: 'n1', step: 'response' },
    ]);
    expect(r.wait).toEqual({
      for: 'action',
      step: 'response',
      nonce: 'n1',
      deadline: '2025-01-01T14:00:00.000Z',
    });
    expect(r.record('plan')).toMatchObject({ visits: 1, attempt: 1, retries: 0 });
  });

  it('fails with the reason when the named entry stage does not exist', async () => {
    const r = await drive(PLAN_DONE, { entry: 'plna' });
    expect(r.status).toBe('failed');
    expect(r.state.last_error).toBe('stage "plna" does not exist in workflow "demo"');
    expect(r.effectsOf('check.update')).toEqual([
      { type: 'check.update', status: 'completed', conclusion: 'failure' },
    ]);
  });

  describe('a second run.started event for the same subject', () => {
    it('changes nothing and says a run is in progress', async () => {
      const r = await drive(PLAN_DONE);
      const before = r.state;
      r.send({
        type: 'run.started',
        by: 'bob',
        run_id: 'run-8',
        workflow_sha: 'def-1',
        subject: { kind: 'issue', number: 7, author: 'author', title: '', labels: [] },
      });
      expect(r.state.id).toBe('run-7');
      expect(r.state.history).toEqual(before.history);
      expect(r.replies).toEqual(['A run of `demo` is already in progress here.']);
    });
  });

  describe('/flowgate start', () => {
    describe('while a run is in progress', () => {
      it('refuses, says where the run is and how to start over', async () => {
        const r = await drive(PLAN_DONE);
        r.comment('bob', '/flowgate start demo');
        expect(r.replies).toEqual([
          'A run of `demo` is already in progress here (`demo` waits for content at stage "intro" (`/submit <content>` hands it in). Used 0 tokens, $0.0000.). `/cancel` it first to start over.',
        ]);
        expect(r.effectsOf('react')).toEqual([]);
        expect(r.stage).toBe('intro');
      });
    });
  });
});
