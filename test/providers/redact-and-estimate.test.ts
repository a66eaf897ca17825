import { describe, expect, it } from 'vitest';
import { estimateTokens, redactSecrets } from '../../src/providers/index.ts';

describe('redactSecrets', () => {
  const env = {
    ANTHROPIC_API_KEY: 'sk-ant-api03-abcdefgh',
    GITHUB_TOKEN: 'ghs_abcdefghijkl',
    FLOWGATE_STATE_KEY: 'state-key-0123456789',
    DB_PASSWORD: 'hunter2hunter2',
    client_secret: 'lowercase-secret-value',
    SHORT_TOKEN: 'abc1234',
    HOME: '/home/runner/work',
    UNSET_KEY: undefined,
  };

  it('replaces the value of every variable named like a secret', () => {
    const text =
      'key sk-ant-api03-abcdefgh, token ghs_abcdefghijkl, state state-key-0123456789, db hunter2hunter2, lowercase-secret-value';
    expect(redactSecrets(text, env)).toBe('key ***, token ***, state ***, db ***, ***');
  });

  it('replaces every occurrence', () => {
    expect(redactSecrets('ghs_abcdefghijkl ghs_abcdefghijkl', env)).toBe('*** ***');
  });

  it('leaves values shorter than 8 characters and variables not named like secrets', () => {
    expect(redactSecrets('abc1234 in /home/runner/work', env)).toBe('abc1234 in /home/runner/work');
  });

  it('hides a secret whole when another secret is part of it', () => {
    const nested = { OUTER_TOKEN: 'prefix-inner-secret-1', INNER_KEY: 'inner-secret-1' };
    expect(redactSecrets('prefix-inner-secret-1 / inner-secret-1', nested)).toBe('*** / ***');
  });

  it('treats the secret as plain text, not a pattern', () => {
    expect(redactSecrets('a.b*c+d?(e) and axbxxcxd', { REGEX_KEY: 'a.b*c+d?(e)' })).toBe('*** and axbxxcxd');
  });
});

describe('estimateTokens', () => {
  it.each([
    ['', 0],
    ['abc', 1],
    ['abcd', 2],
    // 44 characters of English: tokenizers count about 10 tokens.
    ['The quick brown fox jumps over the lazy dog.', 15],
    // 6 CJK characters, 3 bytes each.
    ['日本語の文章', 6],
  ])('estimates %j as %i tokens', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });

  it('never counts fewer tokens than a four-characters-per-token count', () => {
    const text = 'function add(a: number, b: number) { return a + b; }\n'.repeat(50);
    expect(estimateTokens(text)).toBeGreaterThanOrEqual(Math.ceil(text.length / 4));
  });
});
