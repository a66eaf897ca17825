import { describe, expect, it } from 'vitest';
import { parsePace } from '../../../src/action/sweep/parse-pace.ts';

describe('the sweep-pace input', () => {
  it.each([
    ['80/minute, 500/hour, 1000ms', { per_minute: 80, per_hour: 500, min_gap_ms: 1000 }],
    ['40/min 200/h 2s', { per_minute: 40, per_hour: 200, min_gap_ms: 2000 }],
    ['30/minute', { per_minute: 30, per_hour: 500, min_gap_ms: 1000 }],
    ['0ms', { per_minute: 80, per_hour: 500, min_gap_ms: 0 }],
    ['', { per_minute: 80, per_hour: 500, min_gap_ms: 1000 }],
  ])('reads %j', (text, limits) => {
    expect(parsePace(text)).toEqual({ ok: true, limits });
  });

  it.each([
    ['80 per minute', 'sweep-pace: cannot read "80"; write it like "80/minute, 500/hour, 1000ms"'],
    ['80/day', 'sweep-pace: cannot read "80/day"; write it like "80/minute, 500/hour, 1000ms"'],
    ['0/minute', 'sweep-pace: "0/minute" must be a whole number of requests, at least 1'],
    ['2.5/hour', 'sweep-pace: "2.5/hour" must be a whole number of requests, at least 1'],
    ['80/minute 90/min', 'sweep-pace: "90/min" sets per_minute a second time'],
    ['-5ms', 'sweep-pace: cannot read "-5ms"; write it like "80/minute, 500/hour, 1000ms"'],
  ])('refuses %j, saying why', (text, message) => {
    expect(parsePace(text)).toEqual({ ok: false, message });
  });
});
