import { describe, expect, it } from 'vitest';
import { boundText, eventSource } from '../../src/core/state/bounded-text.ts';

describe('boundText', () => {
  it('leaves a text of at most max characters as it is', () => {
    expect(boundText('short reason', 12)).toBe('short reason');
  });

  it('keeps the head of a longer text, says it was cut and where the rest is, within max characters', () => {
    const cut = boundText('x'.repeat(30_000), 2_000, '[comment 7](#issuecomment-7)');
    expect(cut.length).toBeLessThanOrEqual(2_000);
    expect(cut).toMatch(
      /^x{1900,} … \[cut: 30,000 characters in all; the whole text is in \[comment 7\]\(#issuecomment-7\)\]$/,
    );
  });

  it('never keeps half of a surrogate pair', () => {
    const text = `${'a'.repeat(49)}😀${'b'.repeat(100)}`;
    for (let max = 80; max < 90; max++) {
      const cut = boundText(text, max);
      expect(cut.isWellFormed()).toBe(true);
    }
  });
});

describe('eventSource', () => {
  it('links a comment on the same page, and names a review', () => {
    expect(eventSource('comment:123:2')).toBe('[comment 123](#issuecomment-123)');
    expect(eventSource('review:45')).toBe('[review 45](#pullrequestreview-45)');
    expect(eventSource('delivery-1')).toBeUndefined();
  });
});
