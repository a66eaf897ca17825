import { describe, expect, it } from 'vitest';
import type { Command, CommandKind, CommandProblem } from '../../src/core/commands/command.ts';
import { COMMAND_NAMES, COMMAND_USAGE, helpText } from '../../src/core/commands/help-text.ts';
import { parseCommands } from '../../src/core/commands/parse-commands.ts';

/** The one command a comment holds; fails when it holds anything else. */
function only(body: string): Command {
  const { commands, problems } = parseCommands(body);
  expect(problems).toEqual([]);
  expect(commands).toHaveLength(1);
  return commands[0] as Command;
}

/** The one problem a comment holds; fails when it holds anything else. */
function problem(body: string): CommandProblem {
  const { commands, problems } = parseCommands(body);
  expect(commands).toEqual([]);
  expect(problems).toHaveLength(1);
  return problems[0] as CommandProblem;
}

function nothing(body: string): void {
  expect(parseCommands(body)).toEqual({ commands: [], problems: [] });
}

/** `kind@line` for each command, to compare where commands were found. */
function found(body: string): string[] {
  return parseCommands(body).commands.map((c) => `${c.kind}@${c.line}`);
}

describe('/approve', () => {
  it.each<[string, Partial<Command>]>([
    ['/approve', {}],
    ['/approve looks good', { note: 'looks good' }],
    ['/approve LGTM, Thanks!', { note: 'LGTM, Thanks!' }],
    ['/approve "ship it"', { note: 'ship it' }],
    ['/approve --complete', { override: 'complete' }],
    ['/approve --revise needs tests', { override: 'revise', note: 'needs tests' }],
    ['/approve --COMPLETE', { override: 'complete' }],
    ['/approve --complete --complete', { override: 'complete' }],
    ['/approve \u2014revise', { override: 'revise' }],
    ['/approve -- fine by me', { note: '-- fine by me' }],
    ['/approve \u2014great work', { note: '\u2014great work' }],
  ])('reads %j', (raw, fields) => {
    expect(only(raw)).toStrictEqual({ kind: 'approve', line: 1, raw, ...fields });
  });

  describe('with both --complete and --revise', () => {
    it('is a problem that says to choose one', () => {
      expect(problem('/approve --complete --revise')).toStrictEqual({
        kind: 'bad-arguments',
        command: 'approve',
        line: 1,
        raw: '/approve --complete --revise',
        message: '/approve takes --complete or --revise, not both',
      });
    });
  });

  describe('with an unknown option', () => {
    it('is a problem that names the options it takes', () => {
      expect(problem('/approve --force')).toMatchObject({
        kind: 'bad-arguments',
        message: 'unknown option "--force": /approve takes --complete or --revise',
      });
      expect(problem('/approve --force')).not.toHaveProperty('suggestion');
    });

    it('suggests the option it was probably meant to be', () => {
      expect(problem('/approve --complet all good')).toMatchObject({
        message:
          'unknown option "--complet": /approve takes --complete or --revise (did you mean "--complete"?)',
        suggestion: '/approve --complete all good',
      });
    });
  });

  describe('with an option after the note', () => {
    it('is a problem that shows the line with the option first', () => {
      expect(problem('/approve looks good --complete')).toMatchObject({
        kind: 'bad-arguments',
        message: 'put options before the note: /approve --complete looks good',
        suggestion: '/approve --complete looks good',
      });
    });
  });
});

describe('/reject', () => {
  it.each([
    ['/reject too risky', 'too risky'],
    ['/reject "too risky"', 'too risky'],
    ["/reject 'too risky'", 'too risky'],
    ['/reject \u201ctoo risky\u201d', 'too risky'],
    ['/reject "a" is not "b"', '"a" is not "b"'],
    ['/reject   Breaks the API  ', 'Breaks the API'],
    ['/REJECT Keep The Case', 'Keep The Case'],
  ])('reads %j with the reason %j', (raw, reason) => {
    expect(only(raw)).toStrictEqual({ kind: 'reject', line: 1, raw, reason });
  });

  describe('without a reason', () => {
    it.each(['/reject', '/reject   ', '/reject ""', '/reject.', '/reject \u200b'])(
      'is a problem that says a reason is required (%j)',
      (raw) => {
        expect(problem(raw)).toStrictEqual({
          kind: 'bad-arguments',
          command: 'reject',
          line: 1,
          raw,
          message: 'a reason is required: /reject <reason>',
        });
      },
    );
  });
});

describe('/retry', () => {
  it.each<[string, Partial<Command>]>([
    ['/retry', {}],
    ['/retry!', {}],
    ['/retry add tests for the parser', { feedback: 'add tests for the parser' }],
    ['/retry "Use the v2 API"', { feedback: 'Use the v2 API' }],
  ])('reads %j', (raw, fields) => {
    expect(only(raw)).toStrictEqual({ kind: 'retry', line: 1, raw, ...fields });
  });
});

describe.each(['status', 'pause', 'resume', 'cancel'] as const)('/%s', (kind) => {
  it('takes no arguments', () => {
    expect(only(`/${kind}`)).toStrictEqual({ kind, line: 1, raw: `/${kind}` });
  });

  it('keeps words after it as a note', () => {
    expect(only(`/${kind} until Monday`)).toStrictEqual({
      kind,
      line: 1,
      raw: `/${kind} until Monday`,
      note: 'until Monday',
    });
  });

  it.each(['.', '!'])('tolerates a closing %j', (mark) => {
    expect(only(`/${kind}${mark}`)).toStrictEqual({ kind, line: 1, raw: `/${kind}${mark}` });
  });
});

describe('/flowgate start', () => {
  it.each([
    ['/flowgate start feature', 'feature'],
    ['/FlowGate Start Feature', 'Feature'],
    ['/flowgate start "feature"', 'feature'],
    ['/flowgate   start\tbug-triage', 'bug-triage'],
  ])('reads %j as the workflow %j', (raw, workflow) => {
    expect(only(raw)).toStrictEqual({ kind: 'start', line: 1, raw, workflow });
  });

  describe('without a workflow', () => {
    it('is a problem that says a workflow is required', () => {
      expect(problem('/flowgate start')).toStrictEqual({
        kind: 'bad-arguments',
        command: 'start',
        line: 1,
        raw: '/flowgate start',
        message: 'a workflow is required: /flowgate start <workflow> [--at <entry stage>]',
      });
    });
  });

  describe('with more than one word', () => {
    it('is a problem that suggests the first word alone', () => {
      expect(problem('/flowgate start feature please')).toMatchObject({
        message:
          'one workflow at a time, "please" is too much: /flowgate start <workflow> [--at <entry stage>]',
        suggestion: '/flowgate start feature',
      });
    });
  });

  describe('with an option', () => {
    it('is a problem', () => {
      expect(problem('/flowgate start --now')).toMatchObject({
        message: 'unknown option "--now": /flowgate start <workflow> [--at <entry stage>]',
      });
    });
  });
});

describe('/flowgate goto', () => {
  it.each([
    ['/flowgate goto review', 'review', false],
    ['/flowgate goto review --force', 'review', true],
    ['/flowgate goto --force review', 'review', true],
    ['/Flowgate GOTO Review --FORCE', 'Review', true],
  ])('reads %j as the stage %j, force %j', (raw, stage, force) => {
    expect(only(raw)).toStrictEqual({ kind: 'goto', line: 1, raw, stage, force });
  });

  describe('without a stage', () => {
    it.each(['/flowgate goto', '/flowgate goto --force'])(
      'is a problem that says a stage is required (%j)',
      (raw) => {
        expect(problem(raw)).toStrictEqual({
          kind: 'bad-arguments',
          command: 'goto',
          line: 1,
          raw,
          message: 'a stage is required: /flowgate goto <stage> [--force]',
        });
      },
    );
  });

  describe('with an unknown option', () => {
    it('is a problem that suggests --force', () => {
      expect(problem('/flowgate goto review --forse')).toMatchObject({
        message: 'unknown option "--forse": /flowgate goto <stage> [--force] (did you mean "--force"?)',
      });
    });
  });

  describe('with two stages', () => {
    it('is a problem that suggests the first', () => {
      expect(problem('/flowgate goto review done --force')).toMatchObject({
        message: 'one stage at a time, "done" is too much: /flowgate goto <stage> [--force]',
        suggestion: '/flowgate goto review --force',
      });
    });
  });
});

describe('/flowgate help', () => {
  it.each<[string, Partial<Command>]>([
    ['/flowgate', {}],
    ['/flowgate.', {}],
    ['/flowgate help', {}],
    ['/flowgate HELP!', {}],
    ['/flowgate help approve', { topic: 'approve' }],
  ])('reads %j', (raw, fields) => {
    expect(only(raw)).toStrictEqual({ kind: 'help', line: 1, raw, ...fields });
  });
});

describe('/flowgate with a subcommand that does not exist', () => {
  it.each([
    ['/flowgate strat feature', 'strat', '/flowgate start feature'],
    ['/flowgate gtoo review', 'gtoo', '/flowgate goto review'],
    ['/flowgate hlep', 'hlep', '/flowgate help'],
  ])('is a problem for %j that suggests the nearest subcommand', (raw, subcommand, suggestion) => {
    expect(problem(raw)).toStrictEqual({
      kind: 'unknown-subcommand',
      subcommand,
      line: 1,
      raw,
      message:
        `"/flowgate ${subcommand}" is not a command: use /flowgate start <workflow>, /flowgate goto <stage> or ` +
        `/flowgate help (did you mean "${suggestion.split(' ').slice(0, 2).join(' ')}"?)`,
      suggestion,
    });
  });

  it('is a problem that names the subcommands when none is near', () => {
    expect(problem('/flowgate deploy')).toStrictEqual({
      kind: 'unknown-subcommand',
      subcommand: 'deploy',
      line: 1,
      raw: '/flowgate deploy',
      message:
        '"/flowgate deploy" is not a command: use /flowgate start <workflow>, /flowgate goto <stage> or /flowgate help',
    });
  });
});

describe('a problem message', () => {
  it('cuts a long word short instead of echoing it', () => {
    const { message } = problem(`/flowgate ${'x'.repeat(5000)}`);
    expect(message).toMatch(/^"\/flowgate x{29}\u2026" is not a command: use /);
  });
});

describe("a comment at GitHub's size limit of 65,536 characters", () => {
  const N = 65_536;
  it.each([
    ['spaces inside a command', `/approve${' '.repeat(N - 10)}ok`],
    ['options', `/approve${' --complete'.repeat(N / 11)}`],
    ['empty HTML comments', '<!---->'.repeat(N / 7)],
    ['near misses', '/aprove x\n'.repeat(N / 10)],
    ['fences', '```\n'.repeat(N / 4)],
  ])('is parsed in well under a second (%s)', (_, body) => {
    const started = performance.now();
    parseCommands(body);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('a near miss of a command', () => {
  it.each([
    ['/aprove', 'aprove', '/approve'],
    ['/Aprove LGTM', 'Aprove', '/approve LGTM'],
    ['/rejct too risky', 'rejct', '/reject too risky'],
    ['/stauts', 'stauts', '/status'],
    ['/approved', 'approved', '/approve'],
    ['/approval', 'approval', '/approve'],
    ['/cancelled', 'cancelled', '/cancel'],
    ['/approve. looks good', 'approve.', '/approve looks good'],
    ['/flowgte start feature', 'flowgte', '/flowgate start feature'],
  ])('is a problem for %j that suggests the command', (raw, word, suggestion) => {
    expect(problem(raw)).toStrictEqual({
      kind: 'near-miss',
      word,
      line: 1,
      raw,
      message: `"/${word}" is not a flowgate command (did you mean "${suggestion.split(' ')[0]}"?)`,
      suggestion,
    });
  });
});

describe('a slash command of another bot', () => {
  it.each([
    '/assign @octocat',
    '/label bug',
    '/lgtm',
    '/retest',
    '/reset',
    '/cc @octocat',
    '/hold',
    '/close',
    '/help',
    '/start feature',
    '/',
    '/ approve',
    '/usr/bin/env node',
  ])('is ignored without a word (%j)', (raw) => {
    nothing(raw);
  });
});

describe('a comment with several commands', () => {
  it('yields them in order, with their line numbers', () => {
    const body = [
      'Thanks, this is good.',
      '/approve looks good',
      '',
      'By the way:',
      '/status',
      '/retry',
    ].join('\n');
    expect(found(body)).toEqual(['approve@2', 'status@5', 'retry@6']);
  });

  it('keeps commands and problems apart, each with its line', () => {
    const { commands, problems } = parseCommands('/aprove\n/status\n/reject\n/pause');
    expect(commands.map((c) => `${c.kind}@${c.line}`)).toEqual(['status@2', 'pause@4']);
    expect(problems.map((p) => `${p.kind}@${p.line}`)).toEqual(['near-miss@1', 'bad-arguments@3']);
  });
});

describe('line endings', () => {
  it.each([
    ['CRLF', '/approve ok\r\n/status\r\n'],
    ['a lone CR', '/approve ok\r/status\r'],
    ['a mix', '/approve ok\r\n/status\n'],
  ])('count %s as one line break and leave it out of raw and arguments', (_, body) => {
    expect(parseCommands(body).commands).toStrictEqual([
      { kind: 'approve', line: 1, raw: '/approve ok', note: 'ok' },
      { kind: 'status', line: 2, raw: '/status' },
    ]);
  });
});

describe('where a command starts', () => {
  it.each(['/approve', ' /approve', '  /approve', '   /approve'])('at the start of the line: %j', (raw) => {
    expect(only(raw)).toStrictEqual({ kind: 'approve', line: 1, raw });
  });

  it.each(['please /approve this', 'I /approve', '`/approve`', '**/approve**', '- /approve'])(
    'not in the middle of a sentence: %j',
    (raw) => {
      nothing(raw);
    },
  );
});

describe('names', () => {
  it.each([
    ['/APPROVE Ship It', 'approve'],
    ['/Reject Not Now', 'reject'],
    ['/FlowGate Start Feature', 'start'],
  ])('are case-insensitive: %j', (raw, kind) => {
    expect(only(raw).kind).toBe(kind);
  });

  it('must be followed by a space or the end of the line', () => {
    expect(problem('/approved').kind).toBe('near-miss');
    expect(problem('/approve,').kind).toBe('near-miss');
    expect(only('/approve\tfine')).toMatchObject({ kind: 'approve', note: 'fine' });
    expect(only('/approve\u00a0fine')).toMatchObject({ kind: 'approve', note: 'fine' });
  });
});

describe('fenced code', () => {
  it.each([
    ['backticks', '```\n/approve\n```'],
    ['tildes', '~~~\n/approve\n~~~'],
    ['an info string', '```text title="/approve"\n/approve\n```'],
    ['no closing fence', 'Example:\n```\n/approve'],
    ['a shorter fence inside', '````\n```\n/approve\n````'],
    ['the other fence character inside', '```\n~~~\n/approve\n```'],
    ['a fence indented by 4 inside', '```\n    ```\n/approve\n```'],
    ['text after the inner fence', '```\n``` not a close\n/approve\n```'],
    ['an indented opening fence', '   ```\n/approve\n   ```'],
    ['a fence in a list item', '1. ```\n   /approve\n   ```'],
  ])('hides commands (%s)', (_, body) => {
    nothing(body);
  });

  it('ends at the closing fence, after which commands count again', () => {
    expect(found('```\n/reject no\n```\n/approve')).toEqual(['approve@4']);
    expect(found('~~~~ sh\n/reject no\n~~~~~~\n/approve')).toEqual(['approve@4']);
  });

  it('is not opened by inline code that starts a line', () => {
    expect(found('```/cancel```\n/approve')).toEqual(['approve@2']);
  });
});

describe('indented code', () => {
  it.each(['    /approve', '\t/approve', '   \t/approve', '        /approve'])('hides %j', (raw) => {
    nothing(raw);
  });

  it('shows <!-- as text, so it hides nothing after it', () => {
    expect(found('    <!-- example\n/approve')).toEqual(['approve@2']);
  });
});

describe('quoted text', () => {
  it.each([
    '> /approve',
    '>/approve',
    '> > /approve',
    '>>/approve',
    '   > /approve',
    '> Earlier:\n>\n> /approve',
  ])('hides %j', (body) => {
    nothing(body);
  });

  it('hides the quote but not the reply under it', () => {
    expect(found('> /reject too risky\n\n/approve')).toEqual(['approve@3']);
  });

  it('ends a fence that was opened in the quote', () => {
    expect(found('> ```\n> /reject no\n/approve')).toEqual(['approve@3']);
  });

  it('lets an unclosed HTML comment in the quote hide the rest, as on GitHub', () => {
    nothing('> <!-- draft\n/approve');
    expect(found('> <!-- draft\n> -->\n/approve')).toEqual(['approve@3']);
    nothing('> <!-- draft\n> -->/approve');
  });
});

describe('HTML comments', () => {
  it.each([
    ['on one line', '<!-- /approve -->'],
    ['over several lines', '<!--\n/approve\n-->'],
    ['never closed', 'Done.\n<!-- notes\n/approve'],
  ])('hide commands (%s)', (_, body) => {
    nothing(body);
  });

  it('end where they close, after which commands count again', () => {
    expect(found('<!--\n/reject no\n-->\n/approve')).toEqual(['approve@4']);
  });

  it('leave the visible rest of their line', () => {
    expect(only('<!-- bot: ignore --> /status')).toMatchObject({ kind: 'status', line: 1 });
  });

  it('are not part of an argument', () => {
    expect(only('/reject <!-- secret -->too risky')).toMatchObject({ reason: 'too risky' });
    expect(only('/approve <!-- --revise -->')).toStrictEqual({
      kind: 'approve',
      line: 1,
      raw: '/approve <!-- --revise -->',
    });
  });

  it('are only text inside a fence', () => {
    expect(found('```html\n<!--\n```\n/approve')).toEqual(['approve@4']);
  });

  it('can be empty, as browsers read <!-->', () => {
    expect(found('<!-->\n/approve')).toEqual(['approve@2']);
  });
});

describe('lookalike slashes', () => {
  it.each([
    ['fullwidth solidus', '\uff0fapprove'],
    ['division slash', '\u2215approve'],
    ['fraction slash', '\u2044approve'],
    ['big solidus', '\u29f8approve'],
  ])('do not make a command (%s)', (_, raw) => {
    nothing(raw);
  });
});

describe('zero-width characters', () => {
  it.each([
    ['before the slash', '\u200b/approve'],
    ['after the slash', '/\u200bapprove'],
    ['inside the word', '/app\u200crove'],
    ['at the end of the word', '/approve\u200d'],
    ['a word joiner', '/appr\u2060ove'],
    ['a byte order mark', '\ufeff/approve'],
    ['inside a subcommand', '/flowgate st\u200bart feature'],
    ['inside a misspelt word', '/aprov\u200be'],
  ])('make the line no command (%s)', (_, raw) => {
    nothing(raw);
  });

  it('are dropped from arguments', () => {
    expect(only('/reject too\u200b risky')).toMatchObject({ reason: 'too risky' });
    expect(only('/retry add tests\u{e0041}\u{e0042}')).toMatchObject({ feedback: 'add tests' });
  });
});

describe('a closing . or !', () => {
  it.each([
    ['/approve.', 'approve'],
    ['/approve!', 'approve'],
    ['/cancel!', 'cancel'],
    ['/retry.', 'retry'],
    ['/Status!!', 'status'],
  ])('is tolerated after %j', (raw, kind) => {
    expect(only(raw)).toStrictEqual({ kind, line: 1, raw });
  });

  it('is part of an argument that comes before it', () => {
    expect(only('/approve looks good.')).toMatchObject({ note: 'looks good.' });
  });
});

describe('the help text', () => {
  it('lists each command form on one line', () => {
    expect(helpText()).toMatchInlineSnapshot(`
      "**flowgate commands**, one per line at the start of a new comment:

      - \`/approve [note]\`: approve the output waiting at the gate
      - \`/approve --complete [note]\`: approve a review and set its verdict to PASS; the note goes to the next stage
      - \`/approve --revise [note]\`: approve a review and set its verdict to FAIL; the note goes to the next stage
      - \`/reject <reason>\`: reject the output
      - \`/retry [feedback]\`: run the stage again, with your feedback (or the reason of the last rejection)
      - \`/submit <content>\`: hand in the content a manual stage waits for: everything after \`/submit\`, the lines below it included (write permission)
      - \`/answer <text>\`: answer the question a model asked, and let it go on
      - \`/status\`: show where the run is
      - \`/pause\`: pause the run
      - \`/resume\`: resume a paused run
      - \`/cancel\`: cancel the run
      - \`/flowgate start <workflow> [--at <entry stage>]\`: start a workflow on this issue or pull request, at its first entry stage or the one named
      - \`/flowgate goto <stage> [--force]\`: move the run to a stage (maintainers)
      - \`/flowgate help\`: show this list

      Commands in quotes, code blocks and edited comments are ignored."
    `);
  });

  it('shows only usages the parser accepts, and every kind of command', () => {
    const filled = COMMAND_USAGE.map(({ usage }) =>
      usage
        .replace(' [note]', ' fine')
        .replace(' [feedback]', ' more tests')
        .replace('<reason>', 'too risky')
        .replace('<text>', 'only the billing module')
        .replace('<workflow>', 'feature')
        .replace('[--at <entry stage>]', '--at plan')
        .replace('<stage>', 'review')
        .replace('[--force]', '--force')
        .replace('<content>', 'The plan.'),
    );
    // One comment each: a `/submit` takes the rest of its comment as the content.
    const parsed = filled.map((line) => parseCommands(line));
    const commands = parsed.flatMap((p) => p.commands);
    expect(parsed.flatMap((p) => p.problems)).toEqual([]);
    const every: CommandKind[] = [
      'approve',
      'reject',
      'retry',
      'submit',
      'answer',
      'status',
      'pause',
      'resume',
      'cancel',
    ];
    expect(new Set(commands.map((c) => c.kind))).toEqual(new Set([...every, 'start', 'goto', 'help']));
    expect(commands).toHaveLength(COMMAND_USAGE.length);
  });
});

describe('/submit', () => {
  it('takes the rest of its line and every line below it, code and quotes included, as written', () => {
    const body = '/submit ## Plan\r\n\n1. Add the table.\n\n```sql\n/approve\n```\n> /cancel\n/retry now\n\n';
    const { commands, problems } = parseCommands(body);
    expect(problems).toEqual([]);
    expect(commands).toEqual([
      {
        kind: 'submit',
        text: '## Plan\n\n1. Add the table.\n\n```sql\n/approve\n```\n> /cancel\n/retry now',
        line: 1,
        raw: '/submit ## Plan',
      },
    ]);
  });

  it('may start its content on the next line, and follows the commands before it', () => {
    const { commands } = parseCommands('/status\n/submit\n\nThe plan.');
    expect(commands.map((c) => c.kind)).toEqual(['status', 'submit']);
    expect(commands[1]).toMatchObject({ kind: 'submit', text: 'The plan.' });
  });

  it.each(['/submit', '/submit   ', '/submit\n\n  \n'])(
    'without content (%j) is a problem that says where it goes',
    (body) => {
      const { commands, problems } = parseCommands(body);
      expect(commands).toEqual([]);
      expect(problems).toMatchObject([
        {
          kind: 'bad-arguments',
          command: 'submit',
          message:
            'the content is missing: write it after `/submit`, on the same line or the lines below it (/submit <content>)',
        },
      ]);
    },
  );

  it('is no command inside a code block or a quote', () => {
    expect(parseCommands('```\n/submit The plan.\n```\n> /submit The plan.').commands).toEqual([]);
  });

  it('answers a near miss with the command it was meant to be', () => {
    expect(parseCommands('/sumbit The plan.').problems).toMatchObject([
      { kind: 'near-miss', suggestion: '/submit The plan.' },
    ]);
  });
});

describe('COMMAND_NAMES', () => {
  it.each(COMMAND_NAMES)('names a word the parser knows: /%s', (name) => {
    const { commands, problems } = parseCommands(`/${name}`);
    const known = [
      ...commands.map((c) => c.kind),
      ...problems.map((p) => p.kind === 'bad-arguments' && p.command),
    ];
    expect(known).toEqual([name === 'flowgate' ? 'help' : name]);
  });
});

describe('a fence whose info string holds a U+2028 line separator', () => {
  it('is still a fence: only \\n ends a Markdown line, so the command after it counts', () => {
    expect(parseCommands('```\u2028\n```\n/status').commands).toEqual([
      { kind: 'status', line: 3, raw: '/status' },
    ]);
  });
});
