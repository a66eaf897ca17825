import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import { encodeStateBlock } from '../../src/core/state/encode-state.ts';
import {
  type Approval,
  type HistoryEntry,
  type Pointer,
  type Rejection,
  RUN_STATUSES,
  type RunState,
  RunStateSchema,
  type StageRecord,
  type Subject,
  type Usage,
  type Wait,
} from '../../src/core/state/run-state.ts';
import { OTHER_PRIVATE_KEY, REPO_ID, STATE_PRIVATE_KEY } from '../support/state-keys.ts';

const KEY = STATE_PRIVATE_KEY;

/** Pieces that could break a careless block: comment ends and starts, the block's own lines, HTML, unicode. */
const TRICKY = [
  '-->',
  '--!>',
  '<!--',
  '<!-- flowgate:state v=1\n',
  '\nsig=',
  '\n-->',
  '</details>',
  '```',
  '`',
  '&',
  '\\u003c',
  '\r\n',
  '\u2028',
  '\u0000',
  'é',
  '🚀',
  '\ud800',
  '\ufffd',
  '"',
  '\\',
];

/** Any text: arbitrary code points, or a mix of tricky pieces and plain words. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 5 })), { maxLength: 8 })
    .map((p) => p.join('')),
);
const time = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  text.filter((t) => t.length > 0),
);
const count = fc.nat({ max: 1_000_000 });
const attempt = fc.integer({ min: 1, max: 1_000 });
/** Costs as JSON keeps them: finite, never -0. */
const cost = fc
  .double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })
  .map((n) => (n === 0 ? 0 : n));
const step = fc.constantFrom('prompt', 'response' as const);
const id = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);

const pointer: fc.Arbitrary<Pointer> = fc.record(
  { comment_id: fc.integer(), pull_number: fc.nat(), path: text, url: text },
  { requiredKeys: [] },
);
const usage: fc.Arbitrary<Usage> = fc.record({ tokens_in: count, tokens_out: count, cost_usd: cost });

const approval: fc.Arbitrary<Approval> = fc.record(
  {
    by: text,
    attempt,
    at: time,
    step,
    sha256: text,
    via: fc.constantFrom('command', 'review', 'ai', 'skip' as const),
    note: text,
    event: text,
  },
  { requiredKeys: ['by', 'attempt', 'at', 'step', 'sha256', 'via', 'event'] },
);
const rejection: fc.Arbitrary<Rejection> = fc.record({
  by: text,
  attempt,
  at: time,
  step,
  reason: text,
  via: fc.constantFrom('command', 'review', 'ai' as const),
  event: text,
});

const stageRecord: fc.Arbitrary<StageRecord> = fc.record(
  {
    visits: count,
    attempt: count,
    retries: count,
    visit_retries: count,
    prompt: fc.record({ attempt, sha256: text, pointer }),
    output: fc.record(
      {
        attempt,
        sha256: text,
        by: text,
        pointer,
        verdict: fc.constantFrom('pass', 'fail' as const),
        choice: text,
      },
      { requiredKeys: ['attempt', 'sha256', 'pointer'] },
    ),
    feedback: text,
    approvals: fc.array(approval, { maxLength: 3 }),
    rejections: fc.array(rejection, { maxLength: 2 }),
    usage,
    last_error: text,
  },
  { requiredKeys: ['visits', 'attempt', 'retries', 'visit_retries', 'approvals', 'rejections', 'usage'] },
);

const wait: fc.Arbitrary<Wait> = fc.oneof(
  fc.record(
    {
      for: fc.constant('action' as const),
      step: fc.constantFrom('prompt', 'response', 'approver' as const),
      of: step,
      nonce: text,
      deadline: time,
    },
    { requiredKeys: ['for', 'step', 'nonce', 'deadline'] },
  ),
  fc.record({ for: fc.constant('approval' as const), step, opened_at: time }),
  fc.record({ for: fc.constant('content' as const) }),
  fc.record({ for: fc.constant('delay' as const), until: time, to: text }),
);

const historyEntry: fc.Arbitrary<HistoryEntry> = fc.record(
  { at: time, actor: text, event: text, what: text, reason: text },
  { requiredKeys: ['at', 'actor', 'event', 'what'] },
);

const subject: fc.Arbitrary<Subject> = fc.record(
  {
    kind: fc.constantFrom('issue', 'pull_request' as const),
    number: fc.integer({ min: 1, max: 1_000_000 }),
    author: text,
    title: text,
    labels: fc.array(text, { maxLength: 3 }),
    head_sha: text,
    last_pusher: text,
  },
  { requiredKeys: ['kind', 'number', 'author', 'title', 'labels'] },
);

const runState: fc.Arbitrary<RunState> = fc.record(
  {
    v: fc.constant(1 as const),
    id: text.filter((t) => t.length > 0),
    workflow: text,
    definition: text,
    subject,
    status: fc.constantFrom(...RUN_STATUSES),
    stage: id,
    wait,
    resume: fc.record({
      status: fc.constantFrom('running', 'awaiting_approval' as const),
      reason: text,
      action: fc.constantFrom('continue', 'start', 'retry' as const),
    }),
    stages: fc.dictionary(id, stageRecord, { maxKeys: 4 }),
    usage,
    started_at: time,
    updated_at: time,
    completed_at: time,
    last_error: text,
    history: fc.array(historyEntry, { maxLength: 6 }),
    history_trimmed: count,
    seen: fc.array(text, { maxLength: 6 }),
    rev: count,
  },
  {
    requiredKeys: [
      'v',
      'id',
      'workflow',
      'definition',
      'subject',
      'status',
      'stage',
      'stages',
      'usage',
      'started_at',
      'updated_at',
      'history',
      'history_trimmed',
      'seen',
      'rev',
    ],
  },
);

/** Where the JSON line and the signature sit in a block, as [start, end) ranges of character positions. */
function signedRanges(block: string): [number, number][] {
  const jsonStart = block.indexOf('\n') + 1;
  const jsonEnd = block.indexOf('\n', jsonStart);
  const sigStart = jsonEnd + '\nsig='.length;
  return [
    [jsonStart, jsonEnd],
    [sigStart, sigStart + 64],
  ];
}

describe('the state codec, for any valid state', () => {
  it('the arbitrary makes states the schema accepts unchanged', () => {
    fc.assert(
      fc.property(runState, (state) => {
        expect(RunStateSchema.parse(state)).toEqual(state);
      }),
    );
  });

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(runState, (state) => {
        expect(
          decodeStateBlock(encodeStateBlock(state, KEY, { id: REPO_ID, number: state.subject.number }), KEY, {
            id: REPO_ID,
            number: state.subject.number,
          }),
        ).toEqual({ ok: true, state });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the HTML comment closed until its last three characters', () => {
    fc.assert(
      fc.property(runState, (state) => {
        const block = encodeStateBlock(state, KEY, { id: REPO_ID, number: state.subject.number });
        expect(block.indexOf('-->')).toBe(block.length - 3);
        expect(block).not.toContain('--!>');
        expect(block.lastIndexOf('<!--')).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a block with any one character of its JSON or signature changed', () => {
    const tampered = runState.chain((state) => {
      const block = encodeStateBlock(state, KEY, { id: REPO_ID, number: state.subject.number });
      const [[jsonStart, jsonEnd], [sigStart, sigEnd]] = signedRanges(block) as [
        [number, number],
        [number, number],
      ];
      const position = fc.oneof(
        fc.integer({ min: jsonStart, max: jsonEnd - 1 }),
        fc.integer({ min: sigStart, max: sigEnd - 1 }),
      );
      const replacement = fc.oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        fc.constantFrom('0', 'a', '"'),
      );
      return fc.tuple(fc.constant(block), position, replacement, fc.constant(state.subject.number));
    });
    fc.assert(
      fc.property(tampered, ([block, at, replacement, number]) => {
        fc.pre(block[at] !== replacement);
        const changed = block.slice(0, at) + replacement + block.slice(at + 1);
        expect(decodeStateBlock(changed, KEY, { id: REPO_ID, number })).toMatchObject({ ok: false });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every block under another key, in another repository or on another subject', () => {
    const elsewhere = fc.oneof(
      fc.record({ key: fc.constant(OTHER_PRIVATE_KEY), repo: fc.constant(0), subject: fc.constant(0) }),
      fc.record({ key: fc.constant(KEY), repo: fc.integer({ min: 1, max: 1_000 }), subject: fc.constant(0) }),
      fc.record({ key: fc.constant(KEY), repo: fc.constant(0), subject: fc.integer({ min: 1, max: 1_000 }) }),
    );
    fc.assert(
      fc.property(runState, elsewhere, (state, { key, repo, subject }) => {
        const where = { id: REPO_ID, number: state.subject.number };
        const there = { id: REPO_ID + repo, number: state.subject.number + subject };
        expect(decodeStateBlock(encodeStateBlock(state, KEY, where), key, there)).toMatchObject({
          ok: false,
          code: 'signature',
        });
      }),
    );
  });
});
