import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeStateBlock } from '../../../src/core/state/encode-state.ts';
import { StateEncodeError, signStateJson } from '../../../src/core/state/signed-block.ts';
import {
  decodeSweepState,
  emptySweepState,
  encodeSweepState,
  MAX_SWEEP_BLOCK_CHARS,
  type PastSweep,
  paceRecord,
  type SweepState,
  SweepStateSchema,
  trimSweepState,
} from '../../../src/core/sweep/index.ts';
import { SWEEP_STATE_BLOCK } from '../../../src/core/sweep/sweep-state-block.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import { sampleState } from '../state-fixture.ts';
import { doneEverywhere, KEY, minute, patchSweep, pipeline, runLoop, started } from './support.ts';

function pastRow(i: number): PastSweep {
  return {
    id: `sweep-${String(i).padStart(4, '0')}`,
    trigger: i % 2 === 0 ? 'cron' : 'run-now',
    actor: i % 2 === 0 ? 'schedule' : 'maintainer',
    status: 'completed',
    started_at: new Date(Date.UTC(2025, 5, 1) + i * 3_600_000).toISOString(),
    finished_at: new Date(Date.UTC(2025, 5, 1) + i * 3_600_000 + 1_800_000).toISOString(),
    run_url: `https://github.com/acme/widgets/actions/runs/${9_000_000_000 + i}`,
    selected: 200,
    completed: 150,
    waiting: 40,
    failed: 6,
    skipped: 4,
    spend: { tokens: 7_400_000, cost_usd: 47.123456 },
  };
}

function eventAt(i: number) {
  return {
    at: minute(i),
    sweep: 'sweep-1',
    stage: 'draft',
    item: 100_000 + i,
    what: `#${100_000 + i} done (14000 tokens, $0.1400) → edit`,
  };
}

/** A sweep of 500 items with six-digit numbers, carried through all three automatic stages. */
async function bigSweep(): Promise<SweepState> {
  const workflow = await pipeline({ batch_size: 25 });
  const items = Array.from({ length: 500 }, (_, i) => 100_000 + i * 7);
  return runLoop(workflow, started(workflow, items), doneEverywhere).state;
}

describe('the sweep state block', () => {
  it('reads back exactly what was written', async () => {
    const workflow = await pipeline();
    const state = runLoop(workflow, started(workflow, [1, 2, 3]), doneEverywhere).state;
    const block = encodeSweepState(state, KEY, REPO_ID);
    expect(block).toMatch(/^<!-- flowgate:sweep v=1\n\{"v":1,.*\}\nsig=ed25519:[A-Za-z0-9_-]{86}\n-->$/s);
    expect(decodeSweepState(`# dashboard\n\n${block}`, KEY, REPO_ID)).toEqual({ ok: true, state });
  });

  it('carries a full hour of pacing in a few hundred characters', async () => {
    const workflow = await pipeline();
    const state = runLoop(workflow, started(workflow, [1, 2, 3]), doneEverywhere).state;
    const history = Array.from({ length: 500 }, (_, i) => Date.UTC(2025, 5, 12, 2, 0) + i * 7_000);
    const pace = paceRecord(history);
    const withPace = { ...state, pace };
    expect(pace?.counts).toHaveLength(59);
    expect(
      encodeSweepState(withPace, KEY, REPO_ID).length - encodeSweepState(state, KEY, REPO_ID).length,
    ).toBeLessThan(400);
    expect(decodeSweepState(encodeSweepState(withPace, KEY, REPO_ID), KEY, REPO_ID)).toEqual({
      ok: true,
      state: withPace,
    });
  });

  it('is refused, saying the dashboard was edited, when one character changes', async () => {
    const workflow = await pipeline();
    const block = encodeSweepState(started(workflow, [1]), KEY, REPO_ID);
    expect(decodeSweepState(block.replace('"selected":1', '"selected":2'), KEY, REPO_ID)).toEqual({
      ok: false,
      code: 'signature',
      message:
        "the state block's signature does not match: someone edited the dashboard issue, copied it from another repository or issue, or the state key changed without its old public key kept (docs/security.md)",
    });
  });

  it('is missing from an issue without one, and a run state block is not one', () => {
    const runBlock = encodeStateBlock(sampleState(), KEY, { id: REPO_ID, number: 1 });
    expect(decodeSweepState(`hello\n${runBlock}`, KEY, REPO_ID)).toEqual({
      ok: false,
      code: 'missing',
      message:
        'the dashboard issue has no state block (<!-- flowgate:sweep ... -->): it was removed, or this is not a flowgate dashboard issue',
    });
  });

  it('is refused when its signed JSON is not a sweep state', () => {
    const json = JSON.stringify({ ...emptySweepState('content'), cursor: -1 });
    const block = `<!-- flowgate:sweep v=1\n${json}\nsig=${signStateJson(SWEEP_STATE_BLOCK, json, KEY, { repoId: REPO_ID, subject: 'sweep' })}\n-->`;
    expect(decodeSweepState(block, KEY, REPO_ID)).toMatchObject({
      ok: false,
      code: 'shape',
      message: expect.stringContaining('the state block does not hold a valid sweep state at cursor:'),
    });
  });

  it('refuses to write a state it could not read back', () => {
    const broken = { ...emptySweepState('content'), rev: -1 };
    expect(() => encodeSweepState(broken, KEY, REPO_ID)).toThrow(
      'refusing to write a sweep state that could not be read back at rev:',
    );
  });

  it('keeps hostile text inside the comment and reads it back', async () => {
    const workflow = await pipeline();
    const hostile = '--> <!-- flowgate:sweep v=1\n</details> `x` & \u2028 🚀 --!>';
    const state = patchSweep(started(workflow, [1]), { actor: hostile, reason: hostile });
    const block = encodeSweepState(state, KEY, REPO_ID);
    expect(block.slice(4, -3)).not.toMatch(/[<>]/);
    expect(decodeSweepState(block, KEY, REPO_ID)).toEqual({ ok: true, state });
  });

  describe('size', () => {
    it('fits a sweep of 500 items through three stages, with 50 events, in the limit', async () => {
      const state = await bigSweep();
      const block = encodeSweepState(state, KEY, REPO_ID);
      expect(state.events).toHaveLength(50);
      expect(block.length).toBeLessThan(MAX_SWEEP_BLOCK_CHARS);
      expect(decodeSweepState(block, KEY, REPO_ID)).toEqual({ ok: true, state });
    });

    it('drops the oldest past sweeps first, counting them', async () => {
      const state = { ...(await bigSweep()), past: Array.from({ length: 200 }, (_, i) => pastRow(i)) };
      const trimmed = trimSweepState(state);
      const dropped = 200 - trimmed.past.length;
      expect(dropped).toBeGreaterThan(0);
      expect(trimmed.past).toEqual(state.past.slice(dropped));
      expect(trimmed.past_trimmed).toBe(dropped);
      expect(trimmed.events).toEqual(state.events);
      expect(encodeSweepState(state, KEY, REPO_ID).length).toBeLessThanOrEqual(MAX_SWEEP_BLOCK_CHARS);
    });

    it('then the oldest events, counting them', () => {
      const state = {
        ...emptySweepState('content'),
        past: [pastRow(1)],
        events: Array.from({ length: 50 }, (_, i) => eventAt(i)),
        events_trimmed: 7,
      };
      const trimmed = trimSweepState(state, 3_000);
      expect(trimmed.past).toEqual([]);
      expect(trimmed.past_trimmed).toBe(1);
      expect(trimmed.events).toEqual(state.events.slice(50 - trimmed.events.length));
      expect(trimmed.events_trimmed).toBe(7 + 50 - trimmed.events.length);
      expect(encodeSweepState(state, KEY, REPO_ID, 3_000).length).toBeLessThanOrEqual(3_000);
    });

    it('cuts the reasons of failed items short before it drops events', async () => {
      const workflow = await pipeline({ batch_size: 50 });
      const items = Array.from({ length: 120 }, (_, i) => i + 1);
      const state = runLoop(workflow, started(workflow, items), () => ({
        outcome: 'failed',
        error: `the provider answered 500: ${'internal error; '.repeat(30)}`,
      })).state;
      const trimmed = trimSweepState(state, 35_000);
      const reasons = trimmed.current?.stages.outline?.failed.map((f) => f.reason) ?? [];
      expect(reasons).toHaveLength(120);
      expect(reasons.every((r) => r.length <= 60 && r.startsWith('the provider answered 500'))).toBe(true);
      expect(trimmed.events).toEqual(state.events);
    });

    it('throws state_too_large, naming the largest part, when the queues alone do not fit', async () => {
      const state = await bigSweep();
      let error: unknown;
      try {
        encodeSweepState(state, KEY, REPO_ID, 10_000);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StateEncodeError);
      expect(error).toMatchObject({
        code: 'state_too_large',
        message: expect.stringMatching(
          /^the sweep state does not fit in its dashboard issue: it takes [\d,]+ characters even with past sweeps, events and reasons dropped, and the limit is 10,000; its largest part is current\.items \([\d,]+ characters\)$/,
        ),
      });
    });
  });

  it('reads back any valid state, whatever text it holds (property)', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('-->', '--!>', '<!--', '\nsig=', '\r\n', '\u2028', '🚀', '\ud800', '&', '`'),
    );
    const time = fc
      .integer({ min: 0, max: 10 ** 12 })
      .map((n) => new Date(Date.UTC(2025, 0, 1) + n).toISOString());
    const spend = fc.record({ tokens: fc.nat(), cost_usd: fc.double({ min: 0, max: 1000, noNaN: true }) });
    const item = fc.integer({ min: 1, max: 999_999 });
    const queue = fc.record({
      pending: fc.array(item, { maxLength: 5 }),
      started: fc.array(item, { maxLength: 5 }),
      done: fc.array(item, { maxLength: 5 }),
      waiting: fc.array(item, { maxLength: 5 }),
      failed: fc.array(fc.record({ item, reason: text, at: time }), { maxLength: 3 }),
      skipped: fc.array(fc.record({ item, reason: text }), { maxLength: 3 }),
      batches: fc.nat(),
      seconds: fc.double({ min: 0, max: 10 ** 6, noNaN: true }),
      spend,
    });
    const state = fc.record({
      v: fc.constant(1 as const),
      workflow: fc.constantFrom('content', 'loop'),
      current: fc.option(
        fc.record({
          id: fc.string({ minLength: 1, maxLength: 20 }),
          trigger: fc.constantFrom('cron' as const, 'run-now' as const),
          actor: text,
          status: fc.constantFrom(
            'running' as const,
            'paused' as const,
            'stopping' as const,
            'completed' as const,
            'failed' as const,
            'budget_stopped' as const,
          ),
          started_at: time,
          updated_at: time,
          selected: fc.nat({ max: 500 }),
          stages: fc.dictionary(fc.constantFrom('outline', 'draft', 'edit'), queue),
          completed: fc.array(item, { maxLength: 5 }),
          spend,
          items: fc.dictionary(
            item.map(String),
            fc.tuple(fc.nat(), fc.double({ min: 0, max: 100, noNaN: true })),
          ),
        }),
        { nil: undefined },
      ),
      past: fc.array(fc.nat({ max: 50 }).map(pastRow), { maxLength: 3 }),
      past_trimmed: fc.nat(),
      events: fc.array(fc.record({ at: time, what: text }), { maxLength: 5 }),
      events_trimmed: fc.nat(),
      averages: fc.constant({}),
      cursor: fc.nat(),
      rev: fc.nat(),
    });
    fc.assert(
      fc.property(state, (raw) => {
        const s = SweepStateSchema.parse(raw.current === undefined ? { ...raw, current: undefined } : raw);
        const decoded = decodeSweepState(encodeSweepState(s, KEY, REPO_ID), KEY, REPO_ID);
        expect(decoded).toEqual({ ok: true, state: SweepStateSchema.parse(JSON.parse(JSON.stringify(s))) });
      }),
      { numRuns: 150 },
    );
  });
});
