import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVerdict, rewriteVerdict, type Verdict } from '../../src/core/verdict.ts';

describe('parseVerdict', () => {
  const cases: [string, string, Verdict | undefined][] = [
    ['a plain verdict line', 'Looks good.\n\nVERDICT: PASS', 'pass'],
    ['a verdict line in mixed case', 'Verdict: Fail', 'fail'],
    ['a bold label', 'Summary\n\n**Verdict:** PASS\n\nThanks!', 'pass'],
    ['a bold label with the colon outside', '**Verdict**: FAIL', 'fail'],
    ['a bold line', '**Verdict: FAIL**', 'fail'],
    ['a bold word', 'Verdict: **PASS**', 'pass'],
    ['underscores for bold', '__Verdict:__ fail', 'fail'],
    ['a heading', '## Verdict: PASS\n\nAll checks hold.', 'pass'],
    ['a heading with bold', '### **Verdict:** FAIL', 'fail'],
    ['spaces around the colon and indentation up to three', '   verdict :  pass  ', 'pass'],
    ['Windows line endings', 'Review\r\nVerdict: FAIL\r\n', 'fail'],
    ['the hidden marker', 'Fine.\n<!-- flowgate:verdict pass -->', 'pass'],
    ['the hidden marker in capitals', '<!--flowgate:verdict FAIL-->', 'fail'],
    ['the last of several markers', 'Verdict: FAIL\n\nOn second thought:\n\nVerdict: PASS', 'pass'],
    ['the hidden marker after a visible line', '**Verdict:** PASS\n<!-- flowgate:verdict fail -->', 'fail'],
    ['a bare last line', 'The tests cover the change.\n\nPASS', 'pass'],
    ['a verdict line ending in a full stop', 'Verdict: PASS.', 'pass'],
    ['a bold verdict ending in an exclamation mark', '**Verdict:** FAIL!', 'fail'],
    ['a bare last line ending in a full stop', 'Needs work.\n\nFAIL.', 'fail'],
    ['a bold bare last line followed by blank lines', 'Missing tests.\n\n**FAIL**\n\n  \n', 'fail'],
    ['a lower-case bare last line', 'ok\npass', 'pass'],
    ['a verdict line over a bare last line', 'Verdict: FAIL\n\nPASS', 'fail'],
    ['no marker at all', 'The change looks fine to me.', undefined],
    ['the empty text', '', undefined],
    ['a verdict word inside a sentence', 'I would say this should PASS.', undefined],
    ['a bare word that is not the last line', 'PASS\n\nbut see below', undefined],
    ['another word after the verdict', 'Verdict: PASS with notes', undefined],
    ['a quoted verdict', '> Verdict: PASS', undefined],
    ['a list item', '- Verdict: PASS', undefined],
    ['an indented code line', '    Verdict: PASS', undefined],
    ['a marker inside a code fence', 'Example:\n```\nVerdict: PASS\n```\nNo verdict yet.', undefined],
    ['a marker inside a tilde fence', '~~~md\n<!-- flowgate:verdict pass -->\n~~~', undefined],
    ['a marker inside an unclosed fence', 'Verdict: FAIL\n```\nVerdict: PASS', 'fail'],
    ['a marker after a closed fence', '```js\nVerdict: FAIL\n```\nVerdict: PASS', 'pass'],
    [
      'a longer fence that a shorter one does not close',
      '````\n```\nVerdict: PASS\n````\nVerdict: FAIL',
      'fail',
    ],
    ['a bare word as the last line of a fence', 'text\n```\nPASS\n```', undefined],
    ['a bare word in an unclosed fence', 'text\n```\nPASS', undefined],
    ['backticks in a backtick fence info, which is no fence', '``` a`b\nVerdict: PASS', 'pass'],
  ];
  it.each(cases)('reads %s', (_name, text, expected) => {
    expect(parseVerdict(text)).toBe(expected);
  });
});

describe('rewriteVerdict', () => {
  const cases: [string, string, Verdict, string][] = [
    ['a plain line', 'Bad.\n\nVERDICT: FAIL', 'pass', 'Bad.\n\nVERDICT: PASS'],
    ['a bold label, keeping the style', '**Verdict:** PASS\n\nok', 'fail', '**Verdict:** FAIL\n\nok'],
    ['a heading in title case', '## Verdict: Fail', 'pass', '## Verdict: Pass'],
    ['a lower-case line', 'verdict: pass', 'fail', 'verdict: fail'],
    [
      'every marker, not only the last',
      'Verdict: FAIL\nx\nVerdict: FAIL',
      'pass',
      'Verdict: PASS\nx\nVerdict: PASS',
    ],
    [
      'a visible line and the hidden marker',
      '**Verdict: FAIL**\n<!-- flowgate:verdict fail -->',
      'pass',
      '**Verdict: PASS**\n<!-- flowgate:verdict pass -->',
    ],
    ['a line with Windows line endings', 'a\r\nVerdict: FAIL\r\nb', 'pass', 'a\r\nVerdict: PASS\r\nb'],
    ['a bare last line', 'Needs work.\n\n**FAIL**\n', 'pass', 'Needs work.\n\n**PASS**\n'],
    ['the same verdict, unchanged', 'Verdict: PASS', 'pass', 'Verdict: PASS'],
    [
      'a text without a marker, by appending one',
      'Looks fine.\n\n',
      'fail',
      'Looks fine.\n\n**Verdict:** FAIL\n<!-- flowgate:verdict fail -->',
    ],
    ['the empty text', '', 'pass', '**Verdict:** PASS\n<!-- flowgate:verdict pass -->'],
    [
      'a text ending in an unclosed fence, closing it first',
      'See:\n````js\nVerdict: FAIL',
      'pass',
      'See:\n````js\nVerdict: FAIL\n````\n\n**Verdict:** PASS\n<!-- flowgate:verdict pass -->',
    ],
    [
      'a marker only inside a fence, leaving the fence alone',
      '```\nVerdict: FAIL\n```',
      'pass',
      '```\nVerdict: FAIL\n```\n\n**Verdict:** PASS\n<!-- flowgate:verdict pass -->',
    ],
  ];
  it.each(cases)('rewrites %s', (_name, text, verdict, expected) => {
    const rewritten = rewriteVerdict(text, verdict);
    expect(rewritten).toBe(expected);
    expect(parseVerdict(rewritten)).toBe(verdict);
  });

  it('makes any text read as the verdict it was given', () => {
    // Text built from the pieces that matter (markers, fences, bold, blank lines, CRs) as well as arbitrary strings.
    const piece = fc.constantFrom(
      'Verdict: PASS',
      '**Verdict:** fail',
      '## VERDICT: Fail',
      '<!-- flowgate:verdict pass -->',
      'PASS',
      '**FAIL**',
      '```',
      '````',
      '~~~',
      '``` a`b',
      '   ```',
      '    ```',
      '> Verdict: PASS',
      '',
      ' ',
      '\r',
      'text',
    );
    const line = fc.oneof(
      { arbitrary: piece, weight: 4 },
      { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    );
    const text = fc.oneof(
      fc.array(line, { maxLength: 12 }).map((lines) => lines.join('\n')),
      fc.array(line, { maxLength: 12 }).map((lines) => lines.join('\r\n')),
      fc.string(),
    );
    fc.assert(
      fc.property(text, fc.constantFrom<Verdict>('pass', 'fail'), (t, v) => {
        expect(parseVerdict(rewriteVerdict(t, v))).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('rewrites markers in place, and a second rewrite changes nothing', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom<Verdict>('pass', 'fail'), (a, b, v) => {
        const text = `${a}\nVerdict: FAIL\n${b}`;
        const once = rewriteVerdict(text, v);
        if (parseVerdict(text) !== undefined) expect(once.length).toBe(text.length);
        expect(rewriteVerdict(once, v)).toBe(once);
      }),
    );
  });
});
