import { describe, expect, it } from 'vitest';
import {
  compactState,
  HISTORY_KEPT,
  REJECTIONS_KEPT,
  SEEN_KEPT,
} from '../../src/core/state/compact-state.ts';
import { RunStateSchema } from '../../src/core/state/run-state.ts';
import { historyEntry, sampleStageRecord, sampleState, sha } from './state-fixture.ts';

describe('compactState', () => {
  it('keeps the newest history entries and counts the rest', () => {
    const history = Array.from({ length: 120 }, (_, i) => historyEntry(i % 60, `step ${i}`));
    const state = compactState(sampleState({ history, history_trimmed: 5 }));
    expect(state.history).toEqual(history.slice(-HISTORY_KEPT));
    expect(state.history_trimmed).toBe(5 + 120 - HISTORY_KEPT);
  });

  it('keeps the newest seen ids and raises the cursor to the highest comment and review id that left', () => {
    const seen = [
      'comment:900',
      'review:77',
      'comment:950:2',
      'label:flowgate:x:delivery-1',
      ...Array.from({ length: SEEN_KEPT }, (_, i) => `comment:${1000 + i}`),
    ];
    const state = compactState(sampleState({ seen, cursor: { comment: 10, review: 80 } }));
    expect(state.seen).toEqual(seen.slice(-SEEN_KEPT));
    expect(state.cursor).toEqual({ comment: 950, review: 80 });
  });

  it('sets no cursor while every id still fits', () => {
    const state = compactState(sampleState({ seen: ['comment:1', 'review:2'] }));
    expect(state.cursor).toBeUndefined();
    expect(state.seen).toEqual(['comment:1', 'review:2']);
  });

  it("drops approvals of a stage's earlier attempts and keeps its newest rejections", () => {
    const approval = sampleStageRecord().approvals[0];
    if (approval === undefined) throw new Error('fixture has an approval');
    const rejections = Array.from({ length: 15 }, (_, i) => ({
      by: 'bob',
      attempt: i + 1,
      at: '2025-01-01T12:00:00.000Z',
      step: 'response' as const,
      reason: `no ${i}`,
      via: 'command' as const,
      event: `comment:${i}`,
    }));
    const record = sampleStageRecord({
      attempt: 3,
      approvals: [
        { ...approval, attempt: 1 },
        { ...approval, attempt: 3, sha256: sha('c') },
      ],
      rejections,
    });
    const state = compactState(sampleState({ stages: { plan: record } }));
    expect(state.stages.plan?.approvals).toEqual([{ ...approval, attempt: 3, sha256: sha('c') }]);
    expect(state.stages.plan?.rejections).toEqual(rejections.slice(-REJECTIONS_KEPT));
    expect(state.stages.plan?.output).toEqual(record.output);
  });

  it('returns a state the schema accepts', () => {
    const seen = Array.from({ length: 400 }, (_, i) => `review:${i}`);
    expect(RunStateSchema.safeParse(compactState(sampleState({ seen }))).success).toBe(true);
  });
});
