import type { HistoryEntry, RunState, StageRecord } from '../../src/core/state/run-state.ts';

/** A sha256 in hex, made from one repeated hex digit so tests can tell them apart at a glance. */
export function sha(digit: string): string {
  return digit.repeat(64);
}

/** A history entry at minute `minute` of the sample run. */
export function historyEntry(
  minute: number,
  what: string,
  overrides: Partial<HistoryEntry> = {},
): HistoryEntry {
  const at = new Date(Date.UTC(2025, 0, 1, 12, minute)).toISOString();
  return { at, actor: 'octocat', event: `delivery-${minute}`, what, ...overrides };
}

/** The record of a stage planned and approved: its prompt and output (attempt 1), and a maintainer's approval. */
export function sampleStageRecord(overrides: Partial<StageRecord> = {}): StageRecord {
  return {
    visits: 1,
    attempt: 1,
    retries: 0,
    visit_retries: 0,
    prompt: { attempt: 1, sha256: sha('a'), pointer: { comment_id: 1001 } },
    output: {
      attempt: 1,
      sha256: sha('b'),
      pointer: { comment_id: 1002, url: 'https://github.com/o/r/issues/42#c1002' },
    },
    approvals: [
      {
        by: 'maintainer',
        attempt: 1,
        at: '2025-01-01T12:05:00.000Z',
        step: 'response',
        sha256: sha('b'),
        via: 'command',
        note: 'looks good',
        event: 'comment-1003',
      },
    ],
    rejections: [],
    usage: { tokens_in: 1200, tokens_out: 800, cost_usd: 0.0156 },
    ...overrides,
  };
}

/**
 * A valid run state, as the schema outputs it (every default filled in): issue #42 planned, the plan approved
 * by a maintainer, and the implement stage waiting for the Action's response.
 */
export function sampleState(overrides: Partial<RunState> = {}): RunState {
  return {
    v: 1,
    id: 'run-42-demo',
    workflow: 'demo',
    definition: 'f'.repeat(40),
    subject: {
      kind: 'issue',
      number: 42,
      author: 'octocat',
      title: 'Add dark mode',
      labels: ['enhancement'],
    },
    status: 'running',
    stage: 'implement',
    wait: { for: 'action', step: 'response', nonce: 'n-1', deadline: '2025-01-01T13:00:00.000Z' },
    stages: {
      plan: sampleStageRecord(),
      implement: {
        visits: 1,
        attempt: 1,
        retries: 0,
        visit_retries: 0,
        approvals: [],
        rejections: [],
        usage: { tokens_in: 0, tokens_out: 0, cost_usd: 0 },
      },
    },
    usage: { tokens_in: 1200, tokens_out: 800, cost_usd: 0.0156 },
    started_at: '2025-01-01T12:00:00.000Z',
    updated_at: '2025-01-01T12:06:00.000Z',
    history: [
      historyEntry(0, 'started', { actor: 'octocat', event: 'delivery-0' }),
      historyEntry(5, 'approved by @maintainer', { actor: 'maintainer', event: 'comment-1003' }),
      historyEntry(6, 'plan -> implement', { actor: 'flowgate', event: 'comment-1003' }),
    ],
    history_trimmed: 0,
    seen: ['delivery-0', 'comment-1003'],
    rev: 3,
    ...overrides,
  };
}
