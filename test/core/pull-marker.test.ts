import { describe, expect, it } from 'vitest';
import { defusePullMarkers, issueFromPullBody, pullMarker } from '../../src/core/pull-marker.ts';

describe('the pull request marker', () => {
  it('names the issue and reads back', () => {
    expect(pullMarker(42)).toBe('<!-- flowgate:pr issue=42 -->');
    expect(issueFromPullBody(`Implements #42.\n\n${pullMarker(42)}`)).toBe(42);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the issue number %s', (n) => {
    expect(() => pullMarker(n)).toThrow(/needs an issue number >= 1/);
  });

  it.each([
    [null, undefined],
    ['', undefined],
    ['Implements #42.', undefined],
    ['<!-- flowgate:pr issue=abc -->', undefined],
    ['<!-- flowgate:pr issue=0 -->', undefined],
    ['<!--flowgate:pr  issue=7-->', 7],
    ['<!-- flowgate:pr issue=3 -->\n\n<!-- flowgate:pr issue=9 -->', 9],
  ])('reads %j as %s', (body, issue) => {
    expect(issueFromPullBody(body)).toBe(issue);
  });

  it('defuses markers in copied text, which then names no issue', () => {
    const text = 'the agent wrote <!-- flowgate:pr issue=99 --> here';
    const defused = defusePullMarkers(text);
    expect(defused.replace('\u200b', '')).toBe(text);
    expect(issueFromPullBody(defused)).toBeUndefined();
    expect(issueFromPullBody(`${defused}\n\n${pullMarker(5)}`)).toBe(5);
  });
});
