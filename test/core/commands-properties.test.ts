import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandKind } from '../../src/core/commands/command.ts';
import { parseCommands } from '../../src/core/commands/parse-commands.ts';

/** Pieces comments and commands are made of, so random text often comes close to a real command. */
const PIECES = [
  '/approve',
  '/reject',
  '/retry',
  '/status',
  '/cancel',
  '/flowgate',
  '/aprove',
  '/assign',
  ' start ',
  ' goto ',
  ' help',
  ' --complete',
  ' --revise',
  ' --force',
  ' --',
  '\u2014',
  ' ',
  '   ',
  '    ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '```',
  '~~~',
  '`',
  '<!--',
  '-->',
  '>',
  '- ',
  '1. ',
  '"',
  "'",
  '\u201c',
  '\u201d',
  '.',
  '!',
  '\u200b',
  '\ufeff',
  '\u{e0041}',
  '\uff0f',
  '\u00a0',
  'feature',
  'review',
];

const commentish = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 50 })
  .map((parts) => parts.join(''));

/** Text for one line: no line breaks. */
const lineText = commentish.map((text) => text.replace(/[\r\n]/g, ''));

const note = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.?']{0,20}$/);
const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,12}$/);
const indent = fc.constantFrom('', ' ', '  ', '   ');

/** A command name in any case: `approve`, `APPROVE`, `aPpRoVe`. */
function anyCase(word: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
}

const optional = (arb: fc.Arbitrary<string>) =>
  fc.option(
    arb.map((s) => ` ${s}`),
    { nil: '' },
  );

/** A valid command line and the kind it must parse as. */
const commandLine: fc.Arbitrary<{ text: string; kind: CommandKind }> = fc.oneof(
  fc
    .tuple(indent, anyCase('approve'), fc.constantFrom('', ' --complete', ' --revise'), optional(note))
    .map(([i, w, o, n]) => ({ text: `${i}/${w}${o}${n}`, kind: 'approve' as const })),
  fc
    .tuple(indent, anyCase('reject'), note)
    .map(([i, w, r]) => ({ text: `${i}/${w} ${r}`, kind: 'reject' as const })),
  fc
    .tuple(indent, anyCase('retry'), optional(note))
    .map(([i, w, f]) => ({ text: `${i}/${w}${f}`, kind: 'retry' as const })),
  fc
    .tuple(indent, fc.constantFrom('status', 'pause', 'resume', 'cancel' as const), optional(note))
    .chain(([i, kind, n]) => anyCase(kind).map((w) => ({ text: `${i}/${w}${n}`, kind }))),
  fc
    .tuple(indent, anyCase('flowgate'), anyCase('start'), name)
    .map(([i, f, s, w]) => ({ text: `${i}/${f} ${s} ${w}`, kind: 'start' as const })),
  fc
    .tuple(indent, anyCase('flowgate'), anyCase('goto'), name, fc.constantFrom('', ' --force'))
    .map(([i, f, g, s, force]) => ({ text: `${i}/${f} ${g} ${s}${force}`, kind: 'goto' as const })),
  fc
    .tuple(indent, anyCase('flowgate'), fc.constantFrom('', ' help', ' HELP', ' help approve'))
    .map(([i, f, h]) => ({ text: `${i}/${f}${h}`, kind: 'help' as const })),
);

/** A line of prose: never a command, a quote, a fence or code. */
const prose = fc.stringMatching(/^[A-Za-z][A-Za-z ,.]{0,30}$/);

/** An opening fence of 3-6 backticks or tildes and a closing one at least as long. */
const fence = fc
  .record({
    char: fc.constantFrom('`', '~'),
    length: fc.integer({ min: 3, max: 6 }),
    openIndent: indent,
    closeIndent: indent,
    extra: fc.integer({ min: 0, max: 2 }),
    info: lineText,
  })
  // A backtick in a backtick fence's info string makes it inline code; a fence character there lengthens the fence.
  .filter((f) => !f.info.startsWith(f.char) && !(f.char === '`' && f.info.includes('`')));

/** Whether a line would close the fence: CommonMark's rule, written out again here. */
function closes(line: string, f: { char: string; length: number }): boolean {
  const marker = f.char === '`' ? '`' : '~';
  return new RegExp(`^ {0,3}${marker}{${f.length},}[ \\t]*$`).test(line);
}

/** Lines for inside a block: valid commands as often as anything else. */
const anyLine = fc.oneof(
  commandLine.map((c) => c.text),
  lineText,
);

describe('parseCommands', () => {
  it('never throws, and every result points at the line it came from', () => {
    fc.assert(
      fc.property(commentish, (body) => {
        const { commands, problems } = parseCommands(body);
        const lines = body.split(/\r\n|\r|\n/);
        const found = [...commands, ...problems];
        for (const item of found) expect(item.raw).toBe(lines[item.line - 1]);
        expect(new Set(found.map((item) => item.line)).size).toBe(found.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds no command in a fenced block, whatever it holds', () => {
    fc.assert(
      fc.property(fence, fc.array(anyLine, { maxLength: 8 }), fc.boolean(), (f, lines, closed) => {
        const content = lines.filter((line) => !closes(line, f));
        const open = `${f.openIndent}${f.char.repeat(f.length)}${f.info}`;
        const close = `${f.closeIndent}${f.char.repeat(f.length + f.extra)}`;
        if (!closed) {
          expect(parseCommands([open, ...content].join('\n'))).toEqual({ commands: [], problems: [] });
          return;
        }
        const body = [open, ...content, close, '/status'].join('\n');
        expect(parseCommands(body)).toEqual({
          commands: [{ kind: 'status', line: content.length + 3, raw: '/status' }],
          problems: [],
        });
      }),
      { numRuns: 1000 },
    );
  });

  describe('in a > quote', () => {
    const quoted = (line: fc.Arbitrary<string>) =>
      fc
        .tuple(indent, fc.integer({ min: 1, max: 3 }), fc.constantFrom('', ' '), line)
        .map(([i, depth, space, text]) => `${i}${'>'.repeat(depth)}${space}${text}`);

    it('finds no command, whatever the quote holds', () => {
      fc.assert(
        fc.property(fc.array(quoted(anyLine), { minLength: 1, maxLength: 8 }), (lines) => {
          expect(parseCommands(lines.join('\n'))).toEqual({ commands: [], problems: [] });
        }),
        { numRuns: 1000 },
      );
    });

    it('lets a fence opened in the quote end with it', () => {
      // Only an unclosed HTML comment reaches past a quote (see the HTML comment examples).
      const line = anyLine.filter((text) => !text.includes('<!--'));
      fc.assert(
        fc.property(fc.array(quoted(line), { minLength: 1, maxLength: 8 }), (lines) => {
          expect(parseCommands([...lines, '', '/status'].join('\n'))).toEqual({
            commands: [{ kind: 'status', line: lines.length + 2, raw: '/status' }],
            problems: [],
          });
        }),
        { numRuns: 1000 },
      );
    });
  });

  it('finds N commands, in order, in a comment of N command lines among prose', () => {
    const entry = fc.tuple(fc.array(prose, { maxLength: 2 }), commandLine);
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (entries) => {
        const lines: string[] = [];
        const expected: string[] = [];
        for (const [before, command] of entries) {
          lines.push(...before, command.text);
          expected.push(`${command.kind}@${lines.length}`);
        }
        const { commands, problems } = parseCommands(lines.join('\n'));
        expect(problems).toEqual([]);
        expect(commands.map((c) => `${c.kind}@${c.line}`)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a comment the same with LF, CRLF or CR line breaks', () => {
    const lfOnly = commentish.map((body) => body.replace(/\r/g, ''));
    fc.assert(
      fc.property(lfOnly, (body) => {
        const lf = parseCommands(body);
        expect(parseCommands(body.replace(/\n/g, '\r\n'))).toEqual(lf);
        expect(parseCommands(body.replace(/\n/g, '\r'))).toEqual(lf);
      }),
      { numRuns: 1000 },
    );
  });
});
