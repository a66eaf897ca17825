import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../src/providers/retry-delay.ts';

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('retryDelay', () => {
  describe('without retry-after', () => {
    it.each([
      [1, 0, 2000],
      [1, 0.999, 2500],
      [2, 0, 4000],
      [3, 0.5, 9000],
      [5, 0, 30000],
      [9, 1, 37500],
    ])('after try %i with random %d waits %i ms', (attempt, random, ms) => {
      expect(retryDelay(attempt, undefined, NOW, () => random)).toEqual({ ms, source: 'backoff' });
    });
  });

  describe('with retry-after', () => {
    it.each([
      [{ seconds: '7' }, 7000],
      [{ seconds: '0' }, 0],
      [{ seconds: '1.5' }, 1500],
      [{ ms: '250', seconds: '9' }, 250],
      [{ seconds: 'Mon, 05 Jan 2026 09:00:30 GMT' }, 30000],
      [{ seconds: 'Mon, 05 Jan 2026 08:59:00 GMT' }, 0],
    ])('%o waits %i ms', (retryAfter, ms) => {
      expect(retryDelay(2, retryAfter, NOW, () => 0.7)).toEqual({ ms, source: 'retry-after' });
    });

    it('reports a wait longer than a minute instead of waiting', () => {
      expect(retryDelay(1, { seconds: '61' }, NOW, () => 0)).toEqual({ tooLongMs: 61000 });
    });

    it('falls back to backoff when the header cannot be read', () => {
      expect(retryDelay(1, { seconds: 'soon', ms: '-5' }, NOW, () => 0)).toEqual({
        ms: 2000,
        source: 'backoff',
      });
    });
  });
});
