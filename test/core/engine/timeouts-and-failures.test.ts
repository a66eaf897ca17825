import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const SLOW = flow(
  `
  - id: plan
    provider: writer
    instructions: Plan
    next: build
  - id: build
    mode: command
    provider: agent
    instructions: Build
    timeout_minutes: 30
  - id: done
`,
  'limits: { timeout_minutes: 60 }\n',
);

describe('a stage attempt', () => {
  it('gets the deadline of limits.timeout_minutes, and a timer is scheduled for it', async () => {
    const r = await drive(SLOW);
    expect(r.wait).toMatchObject({ for: 'action', deadline: '2025-01-01T13:00:00.000Z' });
    expect(r.effectsOf('timer.schedule')).toEqual([
      { type: 'timer.schedule', at: '2025-01-01T13:00:00.000Z' },
    ]);
  });

  it('gets its own timeout_minutes when it sets one', async () => {
    const r = await drive(SLOW);
    r.answer();
    expect(r.stage).toBe('build');
    expect(r.wait).toMatchObject({ for: 'action', deadline: '2025-01-01T12:31:00.000Z' });
  });

  describe('when a timer fires after the deadline', () => {
    it('fails the stage and says what did not arrive', async () => {
      const r = await drive(SLOW);
      r.timer(60);
      expect(r.status).toBe('failed');
      expect(r.state.last_error).toBe(
        'stage "plan" timed out: no response arrived by 2025-01-01T13:00:00.000Z',
      );
      expect(r.state.resume).toEqual({ status: 'running', reason: r.state.last_error, action: 'retry' });
      expect(r.effectsOf('check.update')).toEqual([
        { type: 'check.update', status: 'completed', conclusion: 'failure' },
      ]);
    });

    it('ignores the late result', async () => {
      const r = await drive(SLOW);
      r.timer(61);
      r.answer('plan', { nonce: 'n1' });
      expect(r.status).toBe('failed');
      expect(r.record('plan')?.output).toBeUndefined();
    });
  });

  describe('when a timer fires before the deadline', () => {
    it('changes nothing', async () => {
      const r = await drive(SLOW);
      expect(r.timer(59).changed).toBe(false);
      expect(r.status).toBe('running');
    });
  });

  describe('when the Action reports a failure', () => {
    it('fails the run with the error and the link to the job', async () => {
      const r = await drive(SLOW);
      r.failStage('the provider returned 529', { url: 'https://github.com/o/r/actions/runs/1' });
      expect(r.status).toBe('failed');
      expect(r.state.last_error).toBe(
        'stage "plan" failed: the provider returned 529 (https://github.com/o/r/actions/runs/1)',
      );
      expect(r.record()?.last_error).toBe(
        'the provider returned 529 (https://github.com/o/r/actions/runs/1)',
      );
      expect(r.history.at(-1)).toBe('failed');
    });

    it('ignores a report with the wrong nonce', async () => {
      const r = await drive(SLOW);
      r.failStage('forged', { nonce: 'guess' });
      expect(r.status).toBe('running');
      expect(r.history.at(-1)).toBe('ignored a failure report for plan');
    });
  });
});
