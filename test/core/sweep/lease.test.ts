import { describe, expect, it } from 'vitest';
import {
  acquireLease,
  emptySweepState,
  holdsLease,
  releaseLease,
  renewLease,
  type SweepState,
} from '../../../src/core/sweep/index.ts';
import { minute, pipeline, started } from './support.ts';

const CRON = 'actions-run-100';
const RUN_NOW = 'actions-run-200';

function granted(result: ReturnType<typeof acquireLease>): SweepState {
  if (!result.granted) throw new Error(`expected the lease: ${result.message}`);
  return result.state;
}

describe('acquireLease', () => {
  it('is granted when nobody holds the lease, until now + ttl', () => {
    const result = acquireLease(emptySweepState('content'), CRON, minute(0), 600, {
      run_url: 'https://github.com/acme/widgets/actions/runs/100',
    });
    expect(result).toMatchObject({
      granted: true,
      lease: {
        holder: CRON,
        run_url: 'https://github.com/acme/widgets/actions/runs/100',
        acquired_at: minute(0),
        expires_at: minute(10),
      },
    });
  });

  it('refuses a second shell while the first holds it, naming the holder, its sweep and the expiry', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1]); // the sweep support's holder, actions-run-100, until minute 60
    expect(acquireLease(state, RUN_NOW, minute(5), 600)).toEqual({
      granted: false,
      held_by: CRON,
      expires_at: minute(60),
      sweep: 'sweep-1',
      message:
        'actions-run-100 is working on sweep sweep-1 (its lease runs until 2025-06-12 03:00 UTC); one sweep runs at a time',
    });
  });

  it('refuses while a holder is still choosing whether to start a sweep', () => {
    const state = granted(acquireLease(emptySweepState('content'), CRON, minute(0), 600));
    expect(acquireLease(state, RUN_NOW, minute(1), 600)).toMatchObject({
      granted: false,
      message:
        'actions-run-100 is starting a sweep (its lease runs until 2025-06-12 02:10 UTC); one sweep runs at a time',
    });
  });

  it('lets another shell take over an expired lease (a crashed sweep), and logs it', async () => {
    const workflow = await pipeline();
    const state = started(workflow, [1]);
    const result = acquireLease(state, RUN_NOW, minute(60), 600);
    expect(result).toMatchObject({ granted: true, lease: { holder: RUN_NOW }, took_over: { holder: CRON } });
    if (!result.granted) throw new Error('expected the lease');
    expect(result.state.events.at(-1)).toEqual({
      at: minute(60),
      sweep: 'sweep-1',
      what: 'lease taken over from actions-run-100, whose lease expired 2025-06-12 03:00 UTC',
    });
  });

  it('is granted again to its holder, keeping when it was first acquired', () => {
    const first = granted(acquireLease(emptySweepState('content'), CRON, minute(0), 600));
    const again = acquireLease(first, CRON, minute(5), 600);
    expect(again).toMatchObject({ granted: true, lease: { acquired_at: minute(0), expires_at: minute(15) } });
  });

  it.each([
    [0, 'the lease time must be a positive number of seconds, not 0'],
    [Number.NaN, 'the lease time must be a positive number of seconds, not NaN'],
  ])('refuses a ttl of %s', (ttl, message) => {
    expect(() => acquireLease(emptySweepState('content'), CRON, minute(0), ttl)).toThrow(message);
  });

  it('refuses an empty holder', () => {
    expect(() => acquireLease(emptySweepState('content'), ' ', minute(0), 60)).toThrow(
      'the lease holder must be a non-empty name',
    );
  });
});

describe('renewLease', () => {
  it('extends the holder’s lease', () => {
    const state = granted(acquireLease(emptySweepState('content'), CRON, minute(0), 600));
    expect(renewLease(state, CRON, minute(8), 600)).toMatchObject({
      granted: true,
      lease: { holder: CRON, expires_at: minute(18) },
    });
  });

  it('is refused once another shell took the lease over: the old holder must stop without writing', () => {
    const state = granted(acquireLease(emptySweepState('content'), CRON, minute(0), 600));
    const taken = granted(acquireLease(state, RUN_NOW, minute(11), 600));
    expect(renewLease(taken, CRON, minute(12), 600)).toMatchObject({ granted: false, held_by: RUN_NOW });
  });

  it('gives an expired lease back to its holder when nobody took it', () => {
    const state = granted(acquireLease(emptySweepState('content'), CRON, minute(0), 600));
    expect(renewLease(state, CRON, minute(30), 600)).toMatchObject({
      granted: true,
      lease: { expires_at: minute(40) },
    });
  });
});

describe('releaseLease', () => {
  it('drops the holder’s lease, so the next shell gets it at once', () => {
    const state = granted(acquireLease(emptySweepState('content'), CRON, minute(0), 600));
    const released = releaseLease(state, CRON);
    expect(released.lease).toBeUndefined();
    expect(acquireLease(released, RUN_NOW, minute(1), 600).granted).toBe(true);
  });

  it('leaves someone else’s lease alone', () => {
    const state = granted(acquireLease(emptySweepState('content'), CRON, minute(0), 600));
    expect(releaseLease(state, RUN_NOW)).toBe(state);
  });
});

describe('holdsLease', () => {
  it('is true for the holder until the lease expires', () => {
    const state = granted(acquireLease(emptySweepState('content'), CRON, minute(0), 600));
    expect([
      holdsLease(state, CRON, minute(9)),
      holdsLease(state, CRON, minute(10)),
      holdsLease(state, RUN_NOW, minute(1)),
    ]).toEqual([true, false, false]);
  });
});
