import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ActionOutput,
  type ActionOutputDraft,
  ActionOutputError,
  type ActionOutputErrorCode,
  DEFAULT_PART_CHARS,
  defuseOutputMarkers,
  formatActionOutput,
  formatActionOutputParts,
  MAX_COMMENT_CHARS,
  type ParsedActionOutput,
  parseActionOutput,
  sha256Hex,
  splitForComments,
  type TextOutputFields,
} from '../../src/core/action-output.ts';

const HEAD = 'a'.repeat(40);
const USAGE = { tokens_in: 1200, tokens_out: 340, cost_usd: 0.0125 };
const DISPATCH = { run: 'r-7f3a', stage: 'plan', attempt: 2, nonce: 'n-91c2' };

const PROMPT: ActionOutputDraft = { kind: 'prompt', ...DISPATCH };
const RESPONSE: ActionOutputDraft = { kind: 'response', ...DISPATCH, usage: USAGE };
const APPROVER: ActionOutputDraft = {
  kind: 'approver',
  ...DISPATCH,
  decision: 'rejected',
  feedback: 'The plan skips the migration.',
  usage: USAGE,
};
const FAILURE: ActionOutputDraft = {
  kind: 'failure',
  ...DISPATCH,
  error: 'the provider answered 429 three times',
  url: 'https://github.com/o/r/actions/runs/1',
};

/** The part of a comment from the marker on. */
function markerOf(body: string): string {
  return body.slice(body.indexOf('<!-- flowgate:output'));
}

/** A comment with a marker written by hand: any JSON, escaped as the formatter escapes it. */
function handComment(data: unknown, visible = 'Some text'): string {
  const json = (typeof data === 'string' ? data : JSON.stringify(data)).replace(
    /[<>&]/g,
    (c) => `\\u00${c.charCodeAt(0).toString(16)}`,
  );
  return `${visible}\n\n<!-- flowgate:output ${json} -->`;
}

function parsed(body: string): Extract<ParsedActionOutput, { ok: true }> {
  const result = parseActionOutput(body);
  if (result === undefined) throw new Error('expected an output marker, but the comment has none');
  if (!result.ok) throw new Error(`expected the output to be read, but it was refused: ${result.reason}`);
  return result;
}

function refusal(body: string): string {
  const result = parseActionOutput(body);
  if (result === undefined) throw new Error('expected an output marker, but the comment has none');
  if (result.ok) throw new Error('expected the output to be refused, but it was read');
  return result.reason;
}

function thrownBy(run: () => unknown): ActionOutputError {
  try {
    run();
  } catch (error) {
    if (error instanceof ActionOutputError) return error;
    throw error;
  }
  throw new Error('expected an ActionOutputError, but none was thrown');
}

/** Whether GitHub would store the two texts as the same bytes (lone surrogates become U+FFFD). */
function sameUtf8(a: string, b: string): boolean {
  return Buffer.from(a, 'utf8').equals(Buffer.from(b, 'utf8'));
}

describe('formatActionOutput', () => {
  it('writes a prompt as the visible text, a blank line and the marker with the text sha256', () => {
    expect(formatActionOutput(PROMPT, 'Plan the change.')).toMatchInlineSnapshot(`
      "Plan the change.

      <!-- flowgate:output {"kind":"prompt","run":"r-7f3a","stage":"plan","attempt":2,"nonce":"n-91c2","sha256":"e6612446f708592513128a8f927e4eb75e786060fe2e96e6007e034348201074"} -->"
    `);
  });

  it('writes a response with its usage, verdict, choice and pull request', () => {
    const body = formatActionOutput(
      { ...RESPONSE, verdict: 'pass', choice: 'ship', pull_number: 12, head_sha: HEAD },
      'Opened #12.',
    );
    expect(body).toMatchInlineSnapshot(`
      "Opened #12.

      <!-- flowgate:output {"kind":"response","run":"r-7f3a","stage":"plan","attempt":2,"nonce":"n-91c2","sha256":"b9a220dcfb5b92fdf0a5c467e8264a9785f0667f4006ffe63d71e124246b4985","usage":{"tokens_in":1200,"tokens_out":340,"cost_usd":0.0125},"verdict":"pass","choice":"ship","pull_number":12,"head_sha":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} -->"
    `);
  });

  it('writes an approver decision with its feedback and no sha256', () => {
    expect(
      formatActionOutput(APPROVER, '**Rejected**: the plan skips the migration.'),
    ).toMatchInlineSnapshot(`
      "**Rejected**: the plan skips the migration.

      <!-- flowgate:output {"kind":"approver","run":"r-7f3a","stage":"plan","attempt":2,"nonce":"n-91c2","decision":"rejected","feedback":"The plan skips the migration.","usage":{"tokens_in":1200,"tokens_out":340,"cost_usd":0.0125}} -->"
    `);
  });

  it('writes a failure with its error and the Actions run link', () => {
    expect(formatActionOutput(FAILURE, 'The stage failed.')).toMatchInlineSnapshot(`
      "The stage failed.

      <!-- flowgate:output {"kind":"failure","run":"r-7f3a","stage":"plan","attempt":2,"nonce":"n-91c2","error":"the provider answered 429 three times","url":"https://github.com/o/r/actions/runs/1"} -->"
    `);
  });

  it('puts the sha256 of the visible body exactly as posted into the marker', () => {
    const visible = 'Line one\r\nline two é 🚀\n';
    const read = parsed(formatActionOutput(RESPONSE, visible));
    expect(read.output).toMatchObject({ sha256: sha256Hex(visible) });
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('accepts a sha256 given by the caller when it matches the visible body', () => {
    const body = formatActionOutput({ ...PROMPT, sha256: sha256Hex('text') }, 'text');
    expect(parsed(body).edited).toBe(false);
  });

  it('escapes <, > and & in the marker so no text can end the comment early', () => {
    const body = formatActionOutput({ ...APPROVER, feedback: 'a --> b <!-- c --!> d & <b>e</b>' }, 'x');
    const marker = markerOf(body);
    expect(marker.slice('<!--'.length, -'-->'.length)).not.toMatch(/[<>&\n]/);
    expect(marker).toContain(
      'a --\\u003e b \\u003c!-- c --!\\u003e d \\u0026 \\u003cb\\u003ee\\u003c/b\\u003e',
    );
    expect(parsed(body).output).toMatchObject({ feedback: 'a --> b <!-- c --!> d & <b>e</b>' });
  });

  it('accepts a body of exactly 65,536 characters', () => {
    const overhead = formatActionOutput(PROMPT, '').length;
    const visible = 'x'.repeat(MAX_COMMENT_CHARS - overhead);
    expect(formatActionOutput(PROMPT, visible)).toHaveLength(MAX_COMMENT_CHARS);
  });

  describe('refuses', () => {
    const cases: [string, ActionOutputDraft, string, ActionOutputErrorCode, RegExp][] = [
      [
        'a body over 65,536 characters, and says to split it',
        RESPONSE,
        'x'.repeat(MAX_COMMENT_CHARS),
        'too_long',
        /would take 65,7\d\d characters and GitHub keeps at most 65,536 \(the visible body takes 65,536\): split it with splitForComments/,
      ],
      [
        'visible text holding an output marker',
        RESPONSE,
        'Quoted: <!-- flowgate:output {"kind":"prompt"} -->',
        'marker_in_body',
        /contains an output marker opening \("<!-- flowgate:output"\) at character 8; .*defuseOutputMarkers/,
      ],
      [
        'visible text holding a marker opening written loosely',
        APPROVER,
        'x <!--\n  FLOWGATE:OUTPUT',
        'marker_in_body',
        /output marker opening \("<!--\\n {2}FLOWGATE:OUTPUT"\) at character 2/,
      ],
      [
        'a sha256 that is not the visible body’s',
        { ...RESPONSE, sha256: sha256Hex('other') },
        'text',
        'sha256_mismatch',
        /is not the sha256 of the visible body/,
      ],
      [
        'an attempt of 0',
        { ...PROMPT, attempt: 0 },
        'text',
        'invalid_output',
        /could not be read back at attempt: /,
      ],
      ['an empty nonce', { ...FAILURE, nonce: '' }, 'text', 'invalid_output', /at nonce: /],
      [
        'a head sha that is not a commit sha',
        { ...RESPONSE, pull_number: 3, head_sha: 'main' },
        'text',
        'invalid_output',
        /at head_sha: must be a commit sha/,
      ],
      [
        'a head sha without its pull request number',
        { ...RESPONSE, head_sha: HEAD },
        'text',
        'invalid_output',
        /head_sha is given without pull_number/,
      ],
      [
        'a part index past the part count',
        { ...RESPONSE, part: { index: 3, count: 2 } },
        'text',
        'invalid_output',
        /part.index \(3\) is greater than part.count \(2\)/,
      ],
    ];
    it.each(cases)('%s', (_name, output, visible, code, message) => {
      const error = thrownBy(() => formatActionOutput(output, visible));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  });
});

describe('parseActionOutput', () => {
  describe('on a comment without an output marker', () => {
    const cases: [string, string][] = [
      ['plain text', 'Looks good to me.'],
      ['the empty comment', ''],
      ['a status comment', 'Status\n<!-- flowgate:state v=1\n{}\nsig=00\n-->'],
      ['a verdict marker', 'Fine.\n<!-- flowgate:verdict pass -->'],
      ['a longer marker name', '<!-- flowgate:outputs {} -->'],
      ['a defused marker', defuseOutputMarkers('<!-- flowgate:output {} -->')],
    ];
    it.each(cases)('returns undefined for %s', (_name, body) => {
      expect(parseActionOutput(body)).toBeUndefined();
    });
  });

  it('reads back every kind with its visible body, unedited', () => {
    for (const draft of [PROMPT, RESPONSE, APPROVER, FAILURE]) {
      const result = parsed(formatActionOutput(draft, 'Visible text\n'));
      expect(result.output).toEqual(
        draft.kind === 'prompt' || draft.kind === 'response'
          ? { ...draft, sha256: sha256Hex('Visible text\n') }
          : draft,
      );
      expect(result.visible).toBe('Visible text\n');
      expect(result.edited).toBe(false);
    }
  });

  describe('notices an edit of a prompt or response', () => {
    const posted = formatActionOutput(RESPONSE, 'The plan:\n\n1. Do it.');
    const cases: [string, string][] = [
      ['a changed word', posted.replace('Do it', 'Do nothing')],
      ['text added after the marker', `${posted}\n\nP.S. approved already`],
      ['the text re-saved with Windows line endings', posted.replaceAll('\n', '\r\n')],
      ['the text removed', posted.slice(posted.indexOf('\n\n<!--'))],
    ];
    it.each(cases)('after %s', (_name, body) => {
      expect(parsed(body).edited).toBe(true);
    });
  });

  it('reports an approver decision and a failure as unedited, since their result is in the marker', () => {
    const approver = formatActionOutput(APPROVER, 'Rejected.').replace('Rejected.', 'Approved!');
    const failure = formatActionOutput(FAILURE, 'Failed.').replace('Failed.', 'Fine.');
    expect(parsed(approver)).toMatchObject({ visible: 'Approved!', edited: false });
    expect(parsed(failure)).toMatchObject({ visible: 'Fine.', edited: false });
  });

  it('gives the fields as the app turns them into engine events', () => {
    const body = formatActionOutput(
      { ...RESPONSE, verdict: 'fail', pull_number: 5, head_sha: HEAD, part: { index: 1, count: 2 } },
      'Part one',
    );
    const { output } = parsed(body);
    expect(output).toEqual({
      kind: 'response',
      run: 'r-7f3a',
      stage: 'plan',
      attempt: 2,
      nonce: 'n-91c2',
      sha256: sha256Hex('Part one'),
      usage: USAGE,
      verdict: 'fail',
      pull_number: 5,
      head_sha: HEAD,
      part: { index: 1, count: 2 },
    } satisfies ActionOutput);
  });

  describe('refuses', () => {
    const valid = { kind: 'prompt', ...DISPATCH, sha256: sha256Hex('Some text') };
    const cases: [string, string, RegExp][] = [
      [
        'two markers',
        `${formatActionOutput(PROMPT, 'a')}\n${markerOf(formatActionOutput(PROMPT, 'b'))}`,
        /has 2 output markers where there must be one/,
      ],
      [
        'a second marker written loosely',
        `${formatActionOutput(PROMPT, 'a')}\n<!--flowgate:OUTPUT-->`,
        /has 2 output markers/,
      ],
      ['a marker without its end', 'x\n\n<!-- flowgate:output {"kind":"prompt"}', /output marker is damaged/],
      ['a marker without a space', '<!--flowgate:output {} -->', /output marker is damaged/],
      [
        'a marker whose JSON spans lines',
        '<!-- flowgate:output {"kind":\n"prompt"} -->',
        /output marker is damaged/,
      ],
      [
        'a marker with a raw ">" in its JSON',
        '<!-- flowgate:output {"error":"a > b"} -->',
        /output marker is damaged.*no ">"/,
      ],
      ['JSON that does not parse', handComment('{"kind":"prompt",}'), /JSON cannot be read: /],
      ['an unknown kind', handComment({ ...valid, kind: 'verdict' }), /not hold a valid output at kind: /],
      ['a missing nonce', handComment({ ...valid, nonce: undefined }), /not hold a valid output at nonce: /],
      [
        'an attempt given as text',
        handComment({ ...valid, attempt: '2' }),
        /not hold a valid output at attempt: /,
      ],
      [
        'an unknown field',
        handComment({ ...valid, approved: true }),
        /not hold a valid output at the top level: .*approved/,
      ],
      [
        'a sha256 in capitals',
        handComment({ ...valid, sha256: valid.sha256.toUpperCase() }),
        /at sha256: must be a sha256: 64 lowercase hex digits/,
      ],
      [
        'a response without usage',
        handComment({ ...valid, kind: 'response' }),
        /not hold a valid output at usage: /,
      ],
      [
        'an approver without a decision',
        handComment({ kind: 'approver', ...DISPATCH, feedback: '', usage: USAGE }),
        /at decision: /,
      ],
      [
        'a part past the count',
        handComment({ ...valid, part: { index: 2, count: 1 } }),
        /part.index \(2\) is greater than part.count \(1\)/,
      ],
      [
        'a pull request number without its head sha',
        handComment({ ...valid, kind: 'response', usage: USAGE, pull_number: 4 }),
        /pull_number is given without head_sha/,
      ],
    ];
    it.each(cases)('%s, with the reason', (_name, body, reason) => {
      expect(refusal(body)).toMatch(reason);
    });
  });
});

describe('defuseOutputMarkers', () => {
  it('lets a text that quotes an output comment be posted and read back as one output', () => {
    const quoted = `The bot wrote:\n\n\`\`\`\n${formatActionOutput(PROMPT, 'x')}\n\`\`\`\n<!--FlowGate:Output-->`;
    const defused = defuseOutputMarkers(quoted);
    expect(defused).toBe(
      quoted
        .replace('<!-- flowgate:output', '<!-- flowgate\u200b:output')
        .replace('FlowGate:', 'FlowGate\u200b:'),
    );
    const read = parsed(formatActionOutput(RESPONSE, defused));
    expect(read.visible).toBe(defused);
    expect(read.edited).toBe(false);
  });

  it('leaves text without a marker opening alone', () => {
    const text = 'flowgate:output and <!-- a comment --> and <!-- flowgate:state v=1';
    expect(defuseOutputMarkers(text)).toBe(text);
  });
});

describe('splitForComments', () => {
  const fence = '```ts\nconst a = 1;\n\nconst b = 2;\n```\n';
  const cases: [string, string, number, string[]][] = [
    ['keeps a text that fits whole', 'short', 10, ['short']],
    ['keeps the empty text as one part', '', 10, ['']],
    [
      'cuts at the last paragraph start that fits',
      'one\n\ntwo\n\nthree four',
      12,
      ['one\n\ntwo\n\n', 'three four'],
    ],
    [
      'prefers a paragraph start to a later line start',
      'intro\n\nline a\nline b\nline c',
      22,
      ['intro\n\n', 'line a\nline b\nline c'],
    ],
    [
      'cuts at a line start when no paragraph fits',
      'line a\nline b\nline c',
      15,
      ['line a\nline b\n', 'line c'],
    ],
    [
      'keeps a fenced code block whole when it fits in a part',
      `Intro\n${fence}After`,
      fence.length + 1,
      ['Intro\n', fence, 'After'],
    ],
    [
      'cuts inside a code block, at its blank line, only when the block is larger than a part',
      fence,
      24,
      ['```ts\nconst a = 1;\n\n', 'const b = 2;\n```\n'],
    ],
    [
      'treats a tilde fence like a backtick fence',
      '~~~\na\n\nb\n~~~\nafter',
      14,
      ['~~~\na\n\nb\n~~~\n', 'after'],
    ],
    ['cuts after a space inside a long line', 'aaaa bbbb cccc', 10, ['aaaa bbbb ', 'cccc']],
    ['cuts anywhere in a line without spaces', 'abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['never splits a surrogate pair', 'ab🚀cd', 3, ['ab', '🚀c', 'd']],
    ['never splits a CRLF', 'abc\r\ndef', 4, ['abc', '\r\n', 'def']],
  ];
  it.each(cases)('%s', (_name, text, maxChars, parts) => {
    expect(splitForComments(text, maxChars)).toEqual(parts);
  });

  it('uses parts of 60,000 characters by default', () => {
    const paragraph = `${'word '.repeat(999)}word\n\n`;
    const parts = splitForComments(paragraph.repeat(30));
    expect(DEFAULT_PART_CHARS).toBe(60_000);
    expect(parts.map((p) => p.length)).toEqual([
      paragraph.length * 11,
      paragraph.length * 11,
      paragraph.length * 8,
    ]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a maximum of %s characters', (maxChars) => {
    expect(() => splitForComments('text', maxChars)).toThrow(/maxChars must be a whole number of at least 1/);
  });
});

describe('formatActionOutputParts', () => {
  it('posts a text that fits as one comment without a part', () => {
    const [only, ...rest] = formatActionOutputParts(RESPONSE as TextOutputFields, 'Short answer.');
    expect(rest).toEqual([]);
    expect(parsed(only ?? '').output).not.toHaveProperty('part');
  });

  it('posts a long response as numbered parts that each fit and join back to the text', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: ${'lorem ipsum '.repeat(300)}`).join(
      '\n\n',
    );
    const bodies = formatActionOutputParts({ ...RESPONSE, verdict: 'pass' } as TextOutputFields, text);
    const read = bodies.map(parsed);
    expect(bodies.length).toBeGreaterThan(1);
    expect(bodies.every((b) => b.length <= MAX_COMMENT_CHARS)).toBe(true);
    expect(read.map((r) => r.visible).join('')).toBe(text);
    expect(read.map((r) => r.output)).toEqual(
      read.map((r, i) => ({
        ...RESPONSE,
        verdict: 'pass',
        sha256: sha256Hex(r.visible),
        part: { index: i + 1, count: bodies.length },
      })),
    );
  });
});

describe('properties', () => {
  /** Pieces that could break a careless marker or splitter: comment ends and starts, fences, unicode. */
  const TRICKY = [
    '-->',
    '--!>',
    '<!--',
    '<!-- flowgate:',
    'output -->',
    'flowgate:output',
    '<!-- flowgate:state v=1',
    '```',
    '```js\n',
    '~~~\n',
    '`',
    '\n',
    '\n\n',
    '\r\n',
    ' ',
    '&',
    '\\u003c',
    '"',
    '\u2028',
    '\u200b',
    'é',
    '🚀',
    '中文',
    '\ud800',
    '\ufffd',
  ];
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc
      .array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 6 })), { maxLength: 12 })
      .map((p) => p.join('')),
  );
  const nonEmpty = text.filter((t) => t.length > 0);
  const count = fc.nat({ max: 10_000_000 });
  const cost = fc
    .double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })
    .map((n) => (n === 0 ? 0 : n));
  const usage = fc.record({ tokens_in: count, tokens_out: count, cost_usd: cost });
  const hex = (length: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
  const base = {
    run: nonEmpty,
    stage: nonEmpty,
    attempt: fc.integer({ min: 1, max: 10_000 }),
    nonce: nonEmpty,
  };
  const part = fc
    .tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 }))
    .map(([index, extra]) => ({ index, count: index + extra }));

  const prompt = fc.record(
    { kind: fc.constant('prompt' as const), ...base, part },
    { requiredKeys: ['kind', 'run', 'stage', 'attempt', 'nonce'] },
  );
  const response = fc
    .tuple(
      fc.record(
        {
          kind: fc.constant('response' as const),
          ...base,
          usage,
          verdict: fc.constantFrom('pass', 'fail' as const),
          choice: nonEmpty,
          part,
        },
        { requiredKeys: ['kind', 'run', 'stage', 'attempt', 'nonce', 'usage'] },
      ),
      fc.option(fc.record({ pull_number: fc.integer({ min: 1, max: 1e6 }), head_sha: hex(40) }), {
        nil: undefined,
      }),
    )
    .map(([output, pull]) => ({ ...output, ...pull }));
  const approver = fc.record({
    kind: fc.constant('approver' as const),
    ...base,
    decision: fc.constantFrom('approved', 'rejected' as const),
    feedback: text,
    usage,
  });
  const failure = fc.record(
    { kind: fc.constant('failure' as const), ...base, error: nonEmpty, url: nonEmpty },
    { requiredKeys: ['kind', 'run', 'stage', 'attempt', 'nonce', 'error'] },
  );
  const draft: fc.Arbitrary<ActionOutputDraft> = fc.oneof(prompt, response, approver, failure);
  const textDraft: fc.Arbitrary<ActionOutputDraft> = fc.oneof(prompt, response);
  const hasMarker = (t: string) => /<!--\s*flowgate:output\b/i.test(t);

  it('reads back every output and visible body it writes, or refuses a body holding a marker', () => {
    fc.assert(
      fc.property(draft, text, (output, body) => {
        if (hasMarker(body)) {
          expect(thrownBy(() => formatActionOutput(output, body)).code).toBe('marker_in_body');
          return;
        }
        const read = parsed(formatActionOutput(output, body));
        expect(read.output).toEqual(
          output.kind === 'prompt' || output.kind === 'response'
            ? { ...output, sha256: sha256Hex(body) }
            : output,
        );
        expect(read.visible).toBe(body);
        expect(read.edited).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('reads back any body once its markers are defused', () => {
    fc.assert(
      fc.property(draft, text, (output, body) => {
        const defused = defuseOutputMarkers(body);
        const read = parsed(formatActionOutput(output, defused));
        expect(read.visible).toBe(defused);
        expect(read.edited).toBe(false);
      }),
    );
  });

  it('writes a marker with no <, > or & inside and nothing after it', () => {
    fc.assert(
      fc.property(draft, text, (output, body) => {
        const comment = formatActionOutput(output, defuseOutputMarkers(body));
        const marker = markerOf(comment);
        expect(marker.startsWith('<!-- flowgate:output {')).toBe(true);
        expect(marker.endsWith('} -->')).toBe(true);
        expect(marker.slice('<!--'.length, -'-->'.length)).not.toMatch(/[<>&\r\n]/);
      }),
    );
  });

  it('notices every edit of a prompt or response that changes the posted bytes', () => {
    fc.assert(
      fc.property(textDraft, text, text, (output, body, edit) => {
        fc.pre(!hasMarker(body) && !hasMarker(edit));
        const posted = formatActionOutput(output, body);
        const read = parsed(edit + posted.slice(body.length));
        expect(read.visible).toBe(edit);
        expect(read.edited).toBe(!sameUtf8(body, edit));
      }),
    );
  });

  it('refuses, with a reason, a marker whose JSON does not validate', () => {
    /** Fields to change in a valid output; `undefined` drops the field (JSON leaves it out). */
    const breakages: Record<string, unknown>[] = [
      { kind: undefined },
      { run: undefined },
      { stage: undefined },
      { attempt: undefined },
      { nonce: undefined },
      { kind: 'note' },
      { attempt: 0 },
      { attempt: 1.5 },
      { attempt: '1' },
      { run: '' },
      { nonce: 7 },
      { signed_by: 'me' },
      { usage: { ...USAGE, cost_usd: -1 } },
      { sha256: 'abc' },
      { part: { index: 0, count: 1 } },
    ];
    fc.assert(
      fc.property(draft, text, fc.constantFrom(...breakages), (output, body, breakage) => {
        const visible = defuseOutputMarkers(body);
        const valid = parsed(formatActionOutput(output, visible)).output;
        expect(refusal(handComment({ ...valid, ...breakage }, visible))).toMatch(
          /^the output marker does not hold a valid output at /,
        );
      }),
    );
  });

  it('splits any text into parts that fit and join back to it', () => {
    const pieces = fc.constantFrom(
      'word',
      ' ',
      '\t',
      '\n',
      '\n\n',
      '\r\n',
      '```\n',
      '```js\n',
      '~~~~\n',
      '    ```\n',
      'x'.repeat(25),
      '🚀',
      '\ud800',
      'é',
    );
    const longText = fc.array(pieces, { maxLength: 60 }).map((p) => p.join(''));
    fc.assert(
      fc.property(longText, fc.integer({ min: 1, max: 80 }), (input, maxChars) => {
        const parts = splitForComments(input, maxChars);
        expect(parts.join('')).toBe(input);
        for (const p of parts) expect(p.length).toBeLessThanOrEqual(maxChars);
        if (input !== '') for (const p of parts) expect(p.length).toBeGreaterThan(0);
        if (maxChars >= 2) {
          let boundary = 0;
          for (const p of parts.slice(0, -1)) {
            boundary += p.length;
            const pair = /^[\ud800-\udbff][\udc00-\udfff]$/.test(input.slice(boundary - 1, boundary + 1));
            expect(pair || input.slice(boundary - 1, boundary + 1) === '\r\n').toBe(false);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
