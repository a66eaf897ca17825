import { describe, expect, it } from 'vitest';
import { ConfigError, readAppConfig } from '../../src/app/app-config.ts';
import { DeliveryWork } from '../../src/app/delivery-work.ts';
import { STATE_PRIVATE_KEY } from '../support/state-keys.ts';

const later = () => {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { done, finish };
};

describe('the work of a delivery', () => {
  it('answer first: accepted at once, finished after, drained before a stop; a failure is logged, not thrown', async () => {
    const lines: string[] = [];
    const work = new DeliveryWork({ awaitWork: false, log: (m) => lines.push(m) });
    const gate = later();
    let finished = false;
    await work.accept('acme/widgets#7: delivery d1', async () => {
      await gate.done;
      finished = true;
    });
    await work.accept('acme/widgets#8: delivery d2', async () => {
      throw new Error('GitHub said 502');
    });
    expect(finished).toBe(false);
    expect(await work.drain(10)).toBe(false);
    expect(work.pending).toBe(1);
    gate.finish();
    expect(await work.drain(1000)).toBe(true);
    expect(finished).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^acme\/widgets#8: delivery d2: the work could not be done: Error: GitHub said 502/,
    );
  });

  it('awaiting (serverless): accepted only once the work is done, still never thrown', async () => {
    const work = new DeliveryWork({ awaitWork: true, log: () => {} });
    let finished = false;
    await work.accept('d', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished = true;
    });
    expect(finished).toBe(true);
    await expect(work.accept('d', () => Promise.reject(new Error('no')))).resolves.toBeUndefined();
  });

  it('FLOWGATE_AWAIT_WORK: true or false, unset leaves it to the host, anything else is a start-up error', () => {
    const env = { FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY };
    expect(readAppConfig(env).awaitWork).toBeUndefined();
    expect(readAppConfig({ ...env, FLOWGATE_AWAIT_WORK: 'true' }).awaitWork).toBe(true);
    expect(readAppConfig({ ...env, FLOWGATE_AWAIT_WORK: 'FALSE' }).awaitWork).toBe(false);
    expect(() => readAppConfig({ ...env, FLOWGATE_AWAIT_WORK: 'later' })).toThrow(ConfigError);
    expect(() => readAppConfig({ ...env, FLOWGATE_AWAIT_WORK: 'later' })).toThrow(
      /FLOWGATE_AWAIT_WORK must be true/,
    );
  });
});
