import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readAppConfig } from '../../src/app/app-config.ts';
import { CHECK_WEBHOOKS, flowgateApp, WEBHOOKS } from '../../src/app/flowgate-app.ts';
import { subjectFromWebhook } from '../../src/reconcile/subject-from-webhook.ts';
import { example } from '../support/app-harness.ts';
import {
  OTHER_PRIVATE_KEY,
  OTHER_PUBLIC_KEY,
  STATE_PRIVATE_KEY,
  STATE_PUBLIC_KEY,
} from '../support/state-keys.ts';

describe('the app configuration', () => {
  it('refuses to start without FLOWGATE_STATE_PRIVATE_KEY and says how to make one', () => {
    expect(() => readAppConfig({})).toThrow(
      /FLOWGATE_STATE_PRIVATE_KEY is not set.*npx flowgate key generate/,
    );
  });

  it('refuses the shared HMAC secret of earlier versions, saying why and what to do', () => {
    expect(() => readAppConfig({ FLOWGATE_STATE_KEY: 'k'.repeat(40) })).toThrow(
      /FLOWGATE_STATE_KEY \(a secret shared with the Action\) is no longer used.*delete the FLOWGATE_STATE_KEY Actions secret/,
    );
    expect(() => readAppConfig({ FLOWGATE_STATE_PRIVATE_KEY: 'k'.repeat(40) })).toThrow(
      /FLOWGATE_STATE_PRIVATE_KEY: the state key's first part is not an Ed25519 key/,
    );
  });

  it('refuses a public key where the private key belongs, and a private key among the previous public keys', () => {
    expect(() => readAppConfig({ FLOWGATE_STATE_PRIVATE_KEY: STATE_PUBLIC_KEY })).toThrow(
      /must hold exactly one private key/,
    );
    expect(() =>
      readAppConfig({
        FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY,
        FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS: OTHER_PRIVATE_KEY,
      }),
    ).toThrow('FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS must hold public keys only (fgpk1_...).');
  });

  it('keeps the previous public keys in the ring, after the private key, for rotation', () => {
    const config = readAppConfig({
      FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY,
      FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS: OTHER_PUBLIC_KEY,
    });
    expect(config.stateKey).toBe(`${STATE_PRIVATE_KEY}\n${OTHER_PUBLIC_KEY}`);
  });

  it('refuses an unknown start permission', () => {
    expect(() =>
      readAppConfig({ FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY, FLOWGATE_START_PERMISSION: 'owner' }),
    ).toThrow('FLOWGATE_START_PERMISSION must be one of read, triage, write, maintain, admin, not "owner".');
  });

  it('has sensible defaults and takes extra output authors', () => {
    expect(
      readAppConfig({
        FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY,
        FLOWGATE_OUTPUT_AUTHORS: 'flowgate[bot], other[bot]',
      }),
    ).toEqual({
      stateKey: STATE_PRIVATE_KEY,
      actionsWorkflow: 'flowgate.yml',
      startPermission: 'write',
      outputAuthors: ['github-actions[bot]', 'flowgate[bot]', 'other[bot]'],
    });
  });
});

describe('REDIS_URL, the lock across replicas', () => {
  const env = { FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY };
  const example = 'such as redis://localhost:6379 or rediss://:password@redis.example.com:6380/0';

  it('is off without REDIS_URL', () => {
    expect(readAppConfig(env).redis).toBeUndefined();
  });

  it('turns the Redis lock on, waiting 120 s for another replica by default', () => {
    expect(readAppConfig({ ...env, REDIS_URL: 'rediss://:pw@redis.internal:6380/2' }).redis).toEqual({
      url: 'rediss://:pw@redis.internal:6380/2',
      waitMs: 120_000,
    });
  });

  it('takes the wait from FLOWGATE_LOCK_WAIT_SECONDS', () => {
    expect(
      readAppConfig({ ...env, REDIS_URL: 'redis://localhost', FLOWGATE_LOCK_WAIT_SECONDS: '7.5' }).redis,
    ).toEqual({ url: 'redis://localhost', waitMs: 7500 });
  });

  it.each([
    ['not a url', `REDIS_URL is not a URL; give one ${example}.`],
    [
      'localhost:6379',
      `REDIS_URL must start with redis:// or rediss:// (it starts with "localhost:"); give one ${example}.`,
    ],
    [
      'http://redis.internal',
      `REDIS_URL must start with redis:// or rediss:// (it starts with "http:"); give one ${example}.`,
    ],
    ['redis://', `REDIS_URL names no host; give one ${example}.`],
    [
      'redis://:s3cret@redis.internal/cache',
      `REDIS_URL's path must be a database number (/0 to /15 on a default Redis) or nothing; give a URL ${example}.`,
    ],
    ['redis://:s3cret@redis.internal:99999', `REDIS_URL is not a URL; give one ${example}.`],
  ])('refuses %j without repeating it (it may hold a password)', (url, message) => {
    expect(() => readAppConfig({ ...env, REDIS_URL: url })).toThrow(message);
  });

  it.each(['0', '-5', 'soon', '3601'])('refuses FLOWGATE_LOCK_WAIT_SECONDS=%s', (wait) => {
    expect(() =>
      readAppConfig({ ...env, REDIS_URL: 'redis://localhost', FLOWGATE_LOCK_WAIT_SECONDS: wait }),
    ).toThrow(
      `FLOWGATE_LOCK_WAIT_SECONDS must be a number of seconds above 0 and at most 3600, not "${wait}".`,
    );
  });
});

describe('app.yml', () => {
  it('subscribes to exactly the events the app handles', () => {
    const manifest = parse(readFileSync('app.yml', 'utf8')) as { default_events: string[] };
    const handled = [...new Set([...WEBHOOKS, ...CHECK_WEBHOOKS].map((w) => w.split('.')[0]))].sort();
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

describe('the state public key at start', () => {
  it('is logged, so that the Action can be given it; the private key never is', () => {
    const lines: string[] = [];
    const app = {
      log: { info: (m: string) => lines.push(m), warn: () => {}, error: () => {} },
      on: () => {},
    };
    flowgateApp(app as never, {
      config: {
        stateKey: STATE_PRIVATE_KEY,
        actionsWorkflow: 'flowgate.yml',
        startPermission: 'write',
        outputAuthors: ['github-actions[bot]'],
      },
      timers: false,
      lock: { run: async (_k: string, f: () => Promise<void>) => f() } as never,
    });
    expect(lines).toContain(
      `flowgate: the state public key, for the Action's FLOWGATE_STATE_PUBLIC_KEY: ${STATE_PUBLIC_KEY}`,
    );
    expect(lines.join('\n')).not.toContain(STATE_PRIVATE_KEY);
  });
});
