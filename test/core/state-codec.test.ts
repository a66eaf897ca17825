import { describe, expect, it } from 'vitest';
import {
  type DecodeFailureCode,
  decodeStateBlock,
  type StateMigrations,
} from '../../src/core/state/decode-state.ts';
import {
  encodeStateBlock,
  MAX_STATE_BLOCK_CHARS,
  StateEncodeError,
  signStateJson,
  trimState,
} from '../../src/core/state/encode-state.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import { OTHER_PRIVATE_KEY, REPO_ID, STATE_PRIVATE_KEY } from '../support/state-keys.ts';
import { historyEntry, sampleStageRecord, sampleState } from './state-fixture.ts';

const KEY = STATE_PRIVATE_KEY;
const WHERE = { id: REPO_ID, number: 42 };
const BINDING = { repoId: REPO_ID, subject: 42 };

/** The three lines between `<!-- flowgate:state v=N` and `-->`, so tests can tamper with one part. */
function parts(block: string): { header: string; json: string; sig: string } {
  const [header = '', json = '', sigLine = ''] = block.split('\n');
  return { header, json, sig: sigLine.slice('sig='.length) };
}

/** A block written by hand: any version, any JSON, signed with `key` unless a signature is given. */
function handBlock(
  version: number,
  json: string,
  key = KEY,
  sig = signStateJson({ marker: 'flowgate:state', version }, json, key, BINDING),
): string {
  return `<!-- flowgate:state v=${version}\n${json}\nsig=${sig}\n-->`;
}

function decodeFailure(body: string, key = KEY, migrations?: StateMigrations) {
  const result = decodeStateBlock(body, key, WHERE, migrations === undefined ? {} : { migrations });
  if (result.ok) throw new Error('expected the block to be refused, but it decoded');
  return result;
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but none was thrown');
}

/** Text that would break a careless block: comment ends, comment starts, HTML, fences, unicode. */
const HOSTILE = [
  '-->',
  '--!>',
  '<!--',
  '<!-- flowgate:state v=1',
  '</details>',
  '```js\nx()\n```',
  '`code`',
  '&amp; & <b>bold</b>',
  'sig=deadbeef\n-->',
  'line one\r\nline two',
  'é ü 中文 🚀 \u2028 \u200b',
  '\\u003c--',
];

describe('the state block', () => {
  describe('written by encodeStateBlock', () => {
    it('is a hidden HTML comment: version line, one line of JSON, the signature, the closing line', () => {
      const block = encodeStateBlock(sampleState(), KEY, WHERE);
      const lines = block.split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toBe('<!-- flowgate:state v=1');
      expect(JSON.parse(lines[1] ?? '')).toEqual(sampleState());
      expect(lines[2]).toMatch(/^sig=ed25519:[A-Za-z0-9_-]{86}$/);
      expect(lines[3]).toBe('-->');
    });

    it('signs the exact JSON line, bound to the repository and subject, with Ed25519', () => {
      const { json, sig } = parts(encodeStateBlock(sampleState(), KEY, WHERE));
      expect(sig).toBe(signStateJson({ marker: 'flowgate:state', version: 1 }, json, KEY, BINDING));
      expect(sig).not.toBe(
        signStateJson({ marker: 'flowgate:state', version: 1 }, json, OTHER_PRIVATE_KEY, BINDING),
      );
    });

    it('refuses an empty key and says which setting to fix', () => {
      const error = thrownBy(() => encodeStateBlock(sampleState(), '', WHERE));
      expect(error).toBeInstanceOf(StateEncodeError);
      expect(error).toMatchObject({
        code: 'empty_key',
        message: expect.stringContaining('FLOWGATE_STATE_PRIVATE_KEY'),
      });
    });

    it('refuses a state it could not read back, naming the field', () => {
      const broken = sampleState({ rev: -1 });
      expect(thrownBy(() => encodeStateBlock(broken, KEY, WHERE))).toMatchObject({
        code: 'invalid_state',
        message: expect.stringContaining('at rev:'),
      });
    });

    it('keeps hostile text inside the comment: no early -->, --!> or <!--, and it all decodes intact', () => {
      const state = sampleState({
        last_error: HOSTILE.join(' | '),
        history: HOSTILE.map((what, minute) => historyEntry(minute, what, { reason: what, actor: what })),
        subject: { ...sampleState().subject, title: HOSTILE.join(''), labels: HOSTILE },
      });
      const block = encodeStateBlock(state, KEY, WHERE);

      expect(block.indexOf('-->')).toBe(block.length - 3);
      expect(block).not.toContain('--!>');
      expect(block.lastIndexOf('<!--')).toBe(0);
      expect(block.slice(1, -1)).not.toMatch(/[<>&]/);
      expect(decodeStateBlock(block, KEY, WHERE)).toEqual({ ok: true, state });
    });
  });

  describe('read by decodeStateBlock', () => {
    it('gives back the state that was written', () => {
      const state = sampleState();
      expect(decodeStateBlock(encodeStateBlock(state, KEY, WHERE), KEY, WHERE)).toEqual({ ok: true, state });
    });

    const block = encodeStateBlock(sampleState(), KEY, WHERE);
    it.each([
      ['visible status before it', `## flowgate: demo\n\n| stage | status |\n|---|---|\n\n${block}`],
      [
        'visible status after it',
        `${block}\n\n<details><summary>History</summary>\n\n- started\n</details>\n`,
      ],
      ['visible status on both sides', `Status: **running**\n${block}\nCost so far: $0.02`],
      [
        'CRLF line ends, as after an edit in the web UI',
        `Status\r\n\r\n${block.replaceAll('\n', '\r\n')}\r\n`,
      ],
    ])('finds the block with %s', (_, body) => {
      expect(decodeStateBlock(body, KEY, WHERE)).toEqual({ ok: true, state: sampleState() });
    });

    it('fills in defaults the writer left out', () => {
      const { history_trimmed: _, ...withoutCount } = sampleState();
      const result = decodeStateBlock(handBlock(1, JSON.stringify(withoutCount)), KEY, WHERE);
      expect(result).toMatchObject({ ok: true, state: { history_trimmed: 0 } });
    });

    it('refuses an empty key instead of checking against it', () => {
      expect(thrownBy(() => decodeStateBlock(block, '', WHERE))).toMatchObject({ code: 'empty_key' });
    });
  });

  describe('refused by decodeStateBlock', () => {
    const good = encodeStateBlock(sampleState(), KEY, WHERE);
    const { json, sig } = parts(good);
    const valid = JSON.parse(json) as Record<string, unknown>;
    const cases: [string, string, DecodeFailureCode, string][] = [
      ['a comment without a block', 'Status: running', 'missing', 'has no state block'],
      ['an empty comment', '', 'missing', 'has no state block'],
      [
        'two blocks in one comment',
        `${good}\n${good}`,
        'malformed',
        'has 2 state blocks where there must be one',
      ],
      [
        'a second, hand-written opening',
        `<!--flowgate:state -->\n${good}`,
        'malformed',
        'has 2 state blocks',
      ],
      ['a block without its sig line', `<!-- flowgate:state v=1\n${json}\n-->`, 'malformed', 'is damaged'],
      ['a block that never closes', good.slice(0, -3), 'malformed', 'is damaged'],
      ['a block whose JSON spans lines', handBlock(1, json.replace(',', ',\n')), 'malformed', 'is damaged'],
      ['a version that is not a number', good.replace('v=1', 'v=one'), 'malformed', 'is damaged'],
      ['signed text that is not JSON', handBlock(1, '{"v":1,'), 'malformed', 'JSON cannot be read'],
      [
        'version 0, for which there is no built-in migration',
        handBlock(0, json),
        'version',
        'has version 0, which this flowgate (state version 1) cannot read',
      ],
      [
        'a signed block whose JSON claims another version',
        handBlock(1, JSON.stringify({ ...valid, v: 2 })),
        'malformed',
        'first line says version 1 but its JSON says version 2',
      ],
      [
        'a wrong key',
        good.replace(
          sig,
          signStateJson({ marker: 'flowgate:state', version: 1 }, json, OTHER_PRIVATE_KEY, BINDING),
        ),
        'signature',
        'signature does not match',
      ],
      [
        'an edited JSON line',
        good.replace('"rev":3', '"rev":4'),
        'signature',
        'someone edited the status comment',
      ],
      [
        'a signature in capitals',
        good.replace(sig, sig.toUpperCase()),
        'signature',
        'signature does not match',
      ],
      ['a shortened signature', good.replace(sig, sig.slice(0, 93)), 'signature', 'the state key changed'],
      ['an empty signature', good.replace(sig, ''), 'signature', 'signature does not match'],
      [
        'version 99',
        handBlock(99, json),
        'version',
        'has version 99, newer than version 1 that this flowgate reads',
      ],
      [
        'a signed block that breaks the schema',
        handBlock(1, JSON.stringify({ ...valid, stages: { plan: { visits: 'one' } } })),
        'shape',
        'does not hold a valid run state at stages.plan.visits:',
      ],
      [
        'a signed block with an unknown field',
        handBlock(1, JSON.stringify({ ...valid, approved: true })),
        'shape',
        'at the top level:',
      ],
      ['signed JSON that is not an object', handBlock(1, '[]'), 'shape', 'does not hold a valid run state'],
    ];

    it.each(cases)('%s', (_, body, code, message) => {
      const failure = decodeFailure(body);
      expect(failure.code).toBe(code);
      expect(failure.message).toContain(message);
    });

    it('a wrong key, with the message a maintainer sees', () => {
      expect(decodeStateBlock(good, OTHER_PRIVATE_KEY, WHERE)).toEqual({
        ok: false,
        code: 'signature',
        message:
          "the state block's signature does not match: someone edited the status comment, copied it from another repository or issue, or the state key changed without its old public key kept (docs/security.md)",
      });
    });

    it('a block where a U+FFFD was edited into a lone surrogate, which UTF-8 would sign alike', () => {
      const block = encodeStateBlock(sampleState({ last_error: 'bad byte: \ufffd' }), KEY, WHERE);
      expect(decodeStateBlock(block, KEY, WHERE).ok).toBe(true);
      expect(decodeFailure(block.replace('\ufffd', '\ud800')).code).toBe('signature');
    });

    it('a block with any single character of its JSON or signature changed', () => {
      const lineStart = good.indexOf('\n') + 1;
      const jsonEnd = lineStart + json.length;
      const sigStart = jsonEnd + '\nsig='.length;
      const positions = [
        ...Array.from({ length: json.length }, (_, i) => lineStart + i),
        ...Array.from({ length: sig.length }, (_, i) => sigStart + i),
      ];
      const codes = new Set<string>();
      for (const at of positions) {
        const original = good[at];
        const replacement = original === 'x' ? 'y' : 'x';
        codes.add(decodeFailure(good.slice(0, at) + replacement + good.slice(at + 1)).code);
      }
      expect(positions).toHaveLength(json.length + 94);
      expect([...codes]).toEqual(['signature']);
    });
  });

  describe('from an older version', () => {
    /** Version 0, as an imagined first release wrote it: `transitions` instead of `history`. */
    const { history, v: _, ...rest } = sampleState();
    const v0Json = JSON.stringify({ ...rest, v: 0, transitions: history });
    const renameTransitions = (old: unknown) => {
      const { transitions, ...others } = old as Record<string, unknown>;
      return { ...others, v: 1, history: transitions };
    };

    it('is brought up to date by the migration table it is given', () => {
      const result = decodeStateBlock(handBlock(0, v0Json), KEY, WHERE, {
        migrations: { 0: renameTransitions },
      });
      expect(result).toEqual({ ok: true, state: sampleState() });
    });

    it('is refused by default, since no built-in migration reads version 0', () => {
      expect(decodeFailure(handBlock(0, v0Json))).toMatchObject({
        code: 'version',
        message: expect.stringContaining('no migration from version 0 to 1'),
      });
    });

    it('is refused, naming the step, when its migration throws', () => {
      const failing = () => {
        throw new Error('transitions is not a list');
      };
      expect(decodeFailure(handBlock(0, v0Json), KEY, { 0: failing })).toMatchObject({
        code: 'version',
        message: expect.stringContaining('migration from version 0 to 1 failed: transitions is not a list'),
      });
    });

    it('is refused as a shape error when its migration leaves it invalid', () => {
      expect(decodeFailure(handBlock(0, v0Json), KEY, { 0: (old) => old })).toMatchObject({ code: 'shape' });
    });

    it('is checked against the signature before any migration runs', () => {
      let ran = false;
      const spy = (old: unknown) => {
        ran = true;
        return renameTransitions(old);
      };
      const tampered = handBlock(
        0,
        v0Json,
        KEY,
        signStateJson({ marker: 'flowgate:state', version: 1 }, v0Json, OTHER_PRIVATE_KEY, BINDING),
      );
      expect(decodeFailure(tampered, KEY, { 0: spy }).code).toBe('signature');
      expect(ran).toBe(false);
    });
  });
});

describe('the state block size', () => {
  function longRun(entries: number, whatLength: number): RunState {
    const history = Array.from({ length: entries }, (_, i) =>
      historyEntry(i, `${i}:`.padEnd(whatLength, 'x'), { event: `delivery-${i}` }),
    );
    return sampleState({ history });
  }

  it('stays within 60,000 characters for 10,000 history entries of 200 characters, keeping the newest', () => {
    const state = longRun(10_000, 200);
    const block = encodeStateBlock(state, KEY, WHERE);
    expect(block.length).toBeLessThanOrEqual(MAX_STATE_BLOCK_CHARS);

    const decoded = decodeStateBlock(block, KEY, WHERE);
    if (!decoded.ok) throw new Error(decoded.message);
    const kept = decoded.state.history;
    expect(kept.length).toBeGreaterThan(100);
    expect(decoded.state.history_trimmed).toBe(10_000 - kept.length);
    expect(kept).toEqual(state.history.slice(-kept.length));
    expect(decoded.state.stages).toEqual(state.stages);
    expect(decoded.state.usage).toEqual(state.usage);
  });

  it('drops no more history than it must: one more entry would not fit', () => {
    const trimmed = trimState(longRun(2_000, 120));
    const dropped = trimmed.history_trimmed;
    const oneMore = longRun(2_000, 120).history.slice(dropped - 1);
    const withOneMore = { ...trimmed, history: oneMore, history_trimmed: dropped - 1 };
    expect(dropped).toBeGreaterThan(0);
    expect(encodeStateBlock(trimmed, KEY, WHERE).length).toBeLessThanOrEqual(MAX_STATE_BLOCK_CHARS);
    expect(trimState(withOneMore).history_trimmed).toBe(dropped);
  });

  it('adds to the count of entries trimmed before', () => {
    const state = { ...longRun(2_000, 200), history_trimmed: 7 };
    const trimmed = trimState(state);
    expect(trimmed.history_trimmed).toBe(7 + 2_000 - trimmed.history.length);
  });

  it('leaves a state that fits untouched', () => {
    const state = sampleState({ seen: Array.from({ length: 800 }, (_, i) => `d-${i}`) });
    expect(trimState(state)).toBe(state);
  });

  it('keeps the newest 500 seen ids before it drops any history', () => {
    const seen = Array.from({ length: 3_000 }, (_, i) => `delivery-0000000000000000-${i}`);
    const state = sampleState({ seen });
    const trimmed = trimState(state);
    expect(trimmed.seen).toEqual(seen.slice(-500));
    expect(trimmed.history).toEqual(state.history);
    expect(trimmed.history_trimmed).toBe(0);
  });

  it('drops seen ids below 500 only when no history is left', () => {
    const seen = Array.from({ length: 1_000 }, (_, i) => `delivery-${String(i).padStart(40, '0')}`);
    const bigPlan = sampleStageRecord({ feedback: 'f'.repeat(50_000) });
    const state = sampleState({ seen, stages: { ...sampleState().stages, plan: bigPlan } });
    const trimmed = trimState(state);
    expect(trimmed.history).toEqual([]);
    expect(trimmed.history_trimmed).toBe(state.history.length);
    expect(trimmed.seen.length).toBeLessThan(500);
    expect(trimmed.seen).toEqual(seen.slice(-trimmed.seen.length));
    expect(trimmed.stages).toEqual(state.stages);
  });

  it('cuts long texts, saying so, when the stage records alone do not fit, and keeps the history it can', () => {
    const bigPlan = sampleStageRecord({
      last_error: 'e'.repeat(70_000),
      feedback: 'f'.repeat(40_000),
      rejections: [
        {
          by: 'maintainer',
          attempt: 1,
          at: '2025-01-01T12:05:00.000Z',
          step: 'response',
          reason: 'r'.repeat(30_000),
          via: 'command',
          event: 'comment:9',
        },
      ],
    });
    const state = sampleState({ stages: { ...sampleState().stages, plan: bigPlan } });
    const block = encodeStateBlock(state, KEY, WHERE);
    expect(block.length).toBeLessThanOrEqual(MAX_STATE_BLOCK_CHARS);
    const decoded = decodeStateBlock(block, KEY, WHERE);
    if (!decoded.ok) throw new Error(decoded.message);
    const plan = decoded.state.stages.plan;
    expect(plan?.last_error).toMatch(/^e{400,} … \[cut: 70,000 characters in all\]$/);
    expect(plan?.feedback).toMatch(/^f{400,} … \[cut: 40,000 characters in all\]$/);
    expect(plan?.rejections[0]?.reason).toMatch(/^r{400,} … \[cut: 30,000 characters in all\]$/);
    expect(plan?.last_error?.length).toBeLessThanOrEqual(500);
    expect(decoded.state.history).toEqual(state.history);
    expect(decoded.state.stages.implement).toEqual(state.stages.implement);
  });

  it('throws state_too_large, naming the largest part, when even the records with their texts cut do not fit', () => {
    const many = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [`stage-${i}`, sampleStageRecord()]),
    );
    const state = sampleState({ stages: many });
    const error = thrownBy(() => encodeStateBlock(state, KEY, WHERE));
    expect(error).toBeInstanceOf(StateEncodeError);
    expect(error).toMatchObject({
      code: 'state_too_large',
      message: expect.stringMatching(
        /limit is 60,000; its largest part is stages\.stage-\d+ \(\d{3} characters\)$/,
      ),
    });
  });

  it('respects a smaller limit when one is given', () => {
    const block = encodeStateBlock(longRun(200, 50), KEY, WHERE, 5_000);
    expect(block.length).toBeLessThanOrEqual(5_000);
    expect(decodeStateBlock(block, KEY, WHERE).ok).toBe(true);
  });
});
