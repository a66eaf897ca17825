import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GITHUB_CONTENT_LIMITS,
  PaceRecordSchema,
  Pacer,
  paceRecord,
  paceTimes,
} from '../../../src/core/sweep/index.ts';

const T = Date.UTC(2025, 5, 12, 2, 0);

/** Makes `count` writes as fast as the pacer lets them, from `start`; returns their times. */
function burst(pacer: Pacer, count: number, start = T): number[] {
  const times: number[] = [];
  let now = start;
  for (let i = 0; i < count; i++) {
    now += pacer.delayBefore(now);
    pacer.record(now);
    times.push(now);
  }
  return times;
}

describe('Pacer', () => {
  it("uses GitHub's limits: 80 a minute, 500 an hour, a second apart", () => {
    expect(new Pacer().limits).toEqual({ per_minute: 80, per_hour: 500, min_gap_ms: 1000 });
  });

  it('lets the first write go at once, and spaces the next ones a second apart', () => {
    const pacer = new Pacer();
    expect(pacer.delayBefore(T)).toBe(0);
    pacer.record(T);
    expect(pacer.delayBefore(T)).toBe(1000);
    expect(pacer.delayBefore(T + 400)).toBe(600);
    expect(pacer.delayBefore(new Date(T + 5000).toISOString())).toBe(0);
  });

  it('holds the 81st write in a minute until the first leaves the window', () => {
    const pacer = new Pacer({ ...GITHUB_CONTENT_LIMITS, min_gap_ms: 0 });
    for (let i = 0; i < 80; i++) pacer.record(T + i * 100);
    expect(pacer.delayBefore(T + 8000)).toBe(60_000 - 8000);
    expect(pacer.delayBefore(T + 60_000)).toBe(0);
  });

  it('holds the 501st write in an hour until the first leaves the window', () => {
    const pacer = new Pacer();
    const times = burst(pacer, 500);
    const last = times.at(-1) ?? T;
    expect(pacer.delayBefore(last + 1000)).toBe(T + 3_600_000 - (last + 1000));
  });

  it('carries writes made earlier, by another job, through its history', () => {
    const earlier = new Pacer({ ...GITHUB_CONTENT_LIMITS, min_gap_ms: 0 });
    for (let i = 0; i < 80; i++) earlier.record(T + i);
    const next = new Pacer(GITHUB_CONTENT_LIMITS, earlier.history());
    expect(next.delayBefore(T + 1000)).toBe(59_000);
    expect(new Pacer(GITHUB_CONTENT_LIMITS, [new Date(T).toISOString()]).delayBefore(T)).toBe(1000);
  });

  it('forgets writes older than an hour', () => {
    const pacer = new Pacer();
    pacer.record(T);
    pacer.record(T + 3_600_000);
    expect(pacer.history()).toEqual([T + 3_600_000]);
  });

  it.each([
    [
      { per_minute: 0, per_hour: 500, min_gap_ms: 0 },
      'pace limit per_minute must be a positive number, not 0',
    ],
    [
      { per_minute: 80, per_hour: Number.NaN, min_gap_ms: 0 },
      'pace limit per_hour must be a positive number, not NaN',
    ],
    [
      { per_minute: 80, per_hour: 500, min_gap_ms: -1 },
      'pace limit min_gap_ms must be a positive number, not -1',
    ],
  ])('refuses limits %j', (limits, message) => {
    expect(() => new Pacer(limits)).toThrow(message);
  });

  it('refuses a time that is not a time', () => {
    expect(() => new Pacer().delayBefore('soon')).toThrow('the pace time must be an ISO time');
    expect(() => new Pacer().record(Number.POSITIVE_INFINITY)).toThrow(
      'a pace time must be finite milliseconds',
    );
  });

  it('never lets any minute hold more than 80 writes or any hour more than 500, and never waits needlessly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 700 }), (gaps) => {
        const pacer = new Pacer();
        const times: number[] = [];
        let now = T;
        for (const gap of gaps) {
          now += gap; // the shell asks whenever it is ready
          const wait = pacer.delayBefore(now);
          expect(wait).toBeGreaterThanOrEqual(0);
          if (wait > 0) {
            // A millisecond earlier would have broken a limit.
            const early = now + wait - 1;
            const last = times.at(-1) ?? Number.NEGATIVE_INFINITY;
            const inMinute = times.filter((u) => u > early - 60_000).length;
            const inHour = times.filter((u) => u > early - 3_600_000).length;
            expect(early - last < 1000 || inMinute >= 80 || inHour >= 500).toBe(true);
          }
          now += wait;
          pacer.record(now);
          times.push(now);
        }
        for (let i = 0; i < times.length; i++) {
          const t = times[i] as number;
          expect(times.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(80);
          expect(times.filter((u) => u > t - 3_600_000 && u <= t).length).toBeLessThanOrEqual(500);
          if (i > 0) expect(t - (times[i - 1] as number)).toBeGreaterThanOrEqual(1000);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('pace records (pacing across jobs)', () => {
  const iso = (ms: number) => new Date(ms).toISOString();

  it('compacts the requests of the last hour to counts per minute, with the last request exact', () => {
    const history = [T - 3_600_000, T + 5_000, T + 59_999, T + 60_000, T + 185_500];
    expect(paceRecord(history)).toEqual({
      since: iso(T),
      counts: [2, 1, 0, 1],
      last: iso(T + 185_500),
    });
    expect(paceRecord([])).toBeUndefined();
    expect(() => paceRecord([Number.NaN])).toThrow('a pace time must be finite milliseconds, not NaN');
  });

  it('gives back each request at the end of its minute, never after the last one', () => {
    const record = { since: iso(T), counts: [2, 0, 1], last: iso(T + 120_500) };
    expect(paceTimes(record)).toEqual([T + 59_999, T + 59_999, T + 120_500]);
    expect(paceTimes(undefined)).toEqual([]);
  });

  it('counts requests the pacer already holds once', () => {
    const record = { since: iso(T), counts: [3, 1], last: iso(T + 61_000) };
    expect(paceTimes(record, [T + 10, T + 61_000])).toEqual([T + 59_999, T + 59_999]);
    expect(paceTimes(record, paceTimes(record))).toEqual([]);
  });

  it('makes a job that starts after a full minute wait for it', () => {
    const first = new Pacer({ ...GITHUB_CONTENT_LIMITS, min_gap_ms: 0 });
    for (let i = 0; i < 80; i++) first.record(T + i * 500);
    const next = new Pacer(GITHUB_CONTENT_LIMITS, paceTimes(paceRecord(first.history())));
    // Exact times free the minute at T + 60 s. The record only says: 80 requests in the minute from T, the last
    // at T + 39.5 s; so all 80 may have gone at T + 39.5 s, and the minute is free a minute after that.
    expect(first.delayBefore(T + 45_000)).toBe(15_000);
    expect(next.delayBefore(T + 45_000)).toBe(39_500 + 60_000 - 45_000);
  });

  it('is bounded, round-trips, and never paces less than the exact times, nor more than a minute longer (property)', () => {
    const limits = { per_minute: 80, per_hour: 500, min_gap_ms: 1000 };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 600 }),
        fc.integer({ min: 0, max: 4_000_000 }),
        (gaps, later) => {
          const exact = new Pacer({ ...limits, min_gap_ms: 0 });
          let now = T;
          for (const gap of gaps) {
            now += gap;
            exact.record(now); // an earlier job that did not pace at all
          }
          const record = paceRecord(exact.history());
          if (record === undefined) throw new Error('a record was expected');
          expect(PaceRecordSchema.parse(record)).toEqual(record);
          expect(record.counts.length).toBeLessThanOrEqual(61);
          expect(record.counts.reduce((a, b) => a + b, 0)).toBe(exact.history().length);
          expect(record.counts[0]).toBeGreaterThan(0);
          expect(record.counts.at(-1)).toBeGreaterThan(0);
          expect(paceRecord(paceTimes(record))).toEqual(record);

          const precise = new Pacer(limits, exact.history());
          const restored = new Pacer(limits, paceTimes(record));
          const at = now + later;
          const owed = precise.delayBefore(at);
          const waited = restored.delayBefore(at);
          expect(waited).toBeGreaterThanOrEqual(owed);
          expect(waited).toBeLessThanOrEqual(owed + 60_000);
        },
      ),
      { numRuns: 60 },
    );
  });
});
