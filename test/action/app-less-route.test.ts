import { describe, expect, it } from 'vitest';
import { appLessRoute, type RouteSource } from '../../src/action/app-less-route.ts';

const repository = { name: 'widgets', owner: { login: 'acme' }, default_branch: 'trunk' };

function source(eventName: string, payload: unknown, inputs: Record<string, string> = {}): RouteSource {
  return { eventName, payload, input: (name) => inputs[name] ?? '', runId: '99', runAttempt: '1' };
}

describe('appLessRoute: sweeps', () => {
  it('sweeps on the schedule event, for the workflows whose cron fired', () => {
    expect(appLessRoute(source('schedule', { schedule: '0 6 * * 1', repository }))).toEqual({
      mode: 'sweep',
      trigger: 'cron',
      cron: '0 6 * * 1',
      actor: 'schedule',
      defaultBranch: 'trunk',
    });
  });

  it('sweeps one workflow now on workflow_dispatch with a sweep input, or all with "all"', () => {
    const payload = { inputs: { sweep: 'content' }, repository, sender: { login: 'bob', type: 'User' } };
    expect(appLessRoute(source('workflow_dispatch', payload))).toEqual({
      mode: 'sweep',
      trigger: 'run-now',
      workflow: 'content',
      actor: 'bob',
      defaultBranch: 'trunk',
    });
    const all = appLessRoute(source('workflow_dispatch', { repository }, { sweep: 'all' }));
    expect(all).toMatchObject({ mode: 'sweep', trigger: 'run-now' });
    expect(all).not.toHaveProperty('workflow');
  });

  it('keeps a dispatch with the step inputs a step for the app', () => {
    const payload = {
      inputs: { run_id: 'r', subject: '7', stage: 'plan', attempt: '1', nonce: 'n', step: 'response' },
      repository,
    };
    expect(appLessRoute(source('workflow_dispatch', payload))).toEqual({ mode: 'dispatch' });
  });
});
