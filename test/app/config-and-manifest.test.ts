import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readAppConfig } from '../../src/app/app-config.ts';
import { WEBHOOKS } from '../../src/app/flowgate-app.ts';
import { subjectFromWebhook } from '../../src/app/subject-from-webhook.ts';
import { example } from '../support/app-harness.ts';

describe('the app configuration', () => {
  it('refuses to start without FLOWGATE_STATE_KEY and says how to make one', () => {
    expect(() => readAppConfig({})).toThrow(/FLOWGATE_STATE_KEY is not set.*openssl rand -hex 32/);
  });

  it('refuses a short key', () => {
    expect(() => readAppConfig({ FLOWGATE_STATE_KEY: 'short' })).toThrow(/shorter than 32 characters/);
  });

  it('refuses an unknown start permission', () => {
    expect(() =>
      readAppConfig({ FLOWGATE_STATE_KEY: 'k'.repeat(32), FLOWGATE_START_PERMISSION: 'owner' }),
    ).toThrow('FLOWGATE_START_PERMISSION must be one of read, triage, write, maintain, admin, not "owner".');
  });

  it('has sensible defaults and takes extra output authors', () => {
    expect(
      readAppConfig({
        FLOWGATE_STATE_KEY: 'k'.repeat(32),
        FLOWGATE_OUTPUT_AUTHORS: 'flowgate[bot], other[bot]',
      }),
    ).toEqual({
      stateKey: 'k'.repeat(32),
      actionsWorkflow: 'flowgate.yml',
      startPermission: 'write',
      outputAuthors: ['github-actions[bot]', 'flowgate[bot]', 'other[bot]'],
    });
  });
});

describe('app.yml', () => {
  it('subscribes to exactly the events the app handles', () => {
    const manifest = parse(readFileSync('app.yml', 'utf8')) as { default_events: string[] };
    const handled = [...new Set(WEBHOOKS.map((w) => w.split('.')[0]))].sort();
    expect([...manifest.default_events].sort()).toEqual(handled);
  });
});

describe('a failed stage workflow', () => {
  it('is traced to its run, issue and dispatch through the run name', () => {
    const payload = example('workflow_run', 'completed');
    payload.workflow_run.display_title = 'flowgate run 7-feature-ab12cd34 #7 implement nonce-9';
    payload.workflow_run.conclusion = 'failure';
    const subject = subjectFromWebhook('workflow_run', 'd1', payload);
    expect(subject?.number).toBe(7);
    expect(subject?.trigger).toEqual({
      kind: 'workflow-failed',
      runId: '7-feature-ab12cd34',
      nonce: 'nonce-9',
      url: payload.workflow_run.html_url,
      conclusion: 'failure',
    });
  });

  it('of another workflow is not flowgate business', () => {
    const payload = example('workflow_run', 'completed');
    payload.workflow_run.display_title = 'CI';
    payload.workflow_run.conclusion = 'failure';
    expect(subjectFromWebhook('workflow_run', 'd1', payload)).toBeUndefined();
  });
});
