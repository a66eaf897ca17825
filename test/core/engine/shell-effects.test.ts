import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const PLAN = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: manual
    labels: [planning, ai-at-work]
  - id: done
`);

describe('every step that changes the run', () => {
  it('ends with a status update, the labels and the check run, in that order', async () => {
    const r = await drive(PLAN);
    expect(r.effects.slice(-3).map((e) => e.type)).toEqual(['status.update', 'labels.set', 'check.update']);
  });
});

describe('the labels', () => {
  it('show the stage while it works', async () => {
    const r = await drive(PLAN);
    expect(r.effectsOf('labels.set')).toEqual([
      {
        type: 'labels.set',
        add: ['planning', 'ai-at-work'],
        remove: ['flowgate: done', 'flowgate: awaiting approval'],
      },
    ]);
  });

  it('add the awaiting-approval label while a person is needed, and drop it after', async () => {
    const r = await drive(PLAN);
    r.answer();
    expect(r.effectsOf('labels.set')[0]?.add).toEqual([
      'planning',
      'ai-at-work',
      'flowgate: awaiting approval',
    ]);
    r.comment('alice', '/approve');
    expect(r.effectsOf('labels.set')).toEqual([
      {
        type: 'labels.set',
        add: ['flowgate: done'],
        remove: ['planning', 'ai-at-work', 'flowgate: awaiting approval'],
      },
    ]);
  });

  it('use the configured prefix and awaiting-approval label', async () => {
    const r = await drive(
      flow(
        `
  - id: plan
    mode: manual
  - id: done
`,
        'labels: { prefix: "fg/", awaiting_approval: "fg/waiting" }\n',
      ),
    );
    expect(r.effectsOf('labels.set')).toEqual([
      { type: 'labels.set', add: ['fg/plan', 'fg/waiting'], remove: ['fg/done'] },
    ]);
  });
});

describe('the check run', () => {
  it('is in progress while the run goes on, even when it waits for a person', async () => {
    const r = await drive(PLAN);
    r.answer();
    expect(r.effectsOf('check.update')).toEqual([{ type: 'check.update', status: 'in_progress' }]);
  });

  it.each([
    ['completed', 'success', (r: Awaited<ReturnType<typeof drive>>) => r.comment('alice', '/approve')],
    ['cancelled', 'cancelled', (r: Awaited<ReturnType<typeof drive>>) => r.comment('alice', '/cancel')],
    [
      'failed',
      'failure',
      (r: Awaited<ReturnType<typeof drive>>) => r.send({ type: 'stage.failed', stage: 'plan', error: 'x' }),
    ],
  ])('concludes when the run is %s, as %s', async (status, conclusion, act) => {
    const r = await drive(PLAN);
    if (status !== 'failed') r.answer();
    act(r);
    expect(r.status).toBe(status);
    expect(r.effectsOf('check.update')).toEqual([{ type: 'check.update', status: 'completed', conclusion }]);
  });

  it('goes back to in progress when a failed run is retried', async () => {
    const r = await drive(PLAN);
    r.failStage('boom');
    r.comment('alice', '/retry');
    expect(r.effectsOf('check.update')).toEqual([{ type: 'check.update', status: 'in_progress' }]);
  });
});

describe('a step that changes nothing', () => {
  it('emits nothing', async () => {
    const r = await drive(PLAN);
    expect(r.timer(1)).toEqual({ state: r.state, effects: [], changed: false });
  });
});
