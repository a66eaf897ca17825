import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const GATED = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: manual
  - id: done
`);

describe('closing the issue or pull request', () => {
  it('cancels the run, whoever closed it, and says why in the history', async () => {
    const r = await drive(GATED);
    r.answer('plan');
    r.send({ type: 'subject.closed', by: 'someone', merged: false });
    expect(r.status).toBe('cancelled');
    expect(r.state.history.at(-1)).toMatchObject({
      actor: 'someone',
      what: 'cancelled',
      reason: 'the issue was closed',
    });
    expect(r.effectsOf('check.update')).toEqual([
      { type: 'check.update', status: 'completed', conclusion: 'cancelled' },
    ]);
  });

  it('changes nothing in a run that already completed', async () => {
    const r = await drive(GATED);
    r.answer('plan');
    r.comment('bob', '/approve');
    expect(r.status).toBe('completed');
    const result = r.send({ type: 'subject.closed', by: 'someone', merged: true });
    expect(result.changed).toBe(false);
  });
});
