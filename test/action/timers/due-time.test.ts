import { describe, expect, it } from 'vitest';
import { dueTime, timerLabels } from '../../../src/action/timers/due-time.ts';
import type { RunState } from '../../../src/core/state/run-state.ts';
import { replyMarker } from '../../../src/reconcile/post-reply.ts';
import { comment, runOf, STARTED, workflowOf } from '../run-fixture.ts';

const FLOW = await workflowOf(`version: 1
name: notes
on: { labels: [flowgate:notes], subject: issue }
providers: { writer: openai/gpt-5-mini }
defaults: { gate: skip }
limits: { timeout_minutes: 30 }
stages:
  - id: draft
    provider: writer
    instructions: Draft
    delay: 1h
  - id: review
    provider: writer
    instructions: Review
    gate: { approver: manual }
    verdict: true
    labels: [needs-eyes]
    transitions:
      - { to: dropped, when: 'outputs.review.verdict == "fail"' }
      - done
  - id: done
    type: terminal
    archive: 3
  - id: dropped
    type: terminal
`);

/** The run as started (the draft asked for, its deadline set), with `change` applied. */
function run(change: (s: RunState) => void = () => {}): RunState {
  const state = structuredClone(runOf(FLOW));
  change(state);
  return state;
}

describe('dueTime', () => {
  it('is the deadline of the step a running run waits for', () => {
    const state = run();
    expect(state.wait).toMatchObject({ for: 'action', deadline: '2026-01-05T09:30:00.000Z' });
    expect(dueTime(state, FLOW, [])).toBe('2026-01-05T09:30:00.000Z');
  });

  it('is the end of a delay', () => {
    const state = run((s) => {
      s.wait = { for: 'delay', until: '2026-01-05T10:00:00.000Z', to: 'review' };
    });
    expect(dueTime(state, FLOW, [])).toBe('2026-01-05T10:00:00.000Z');
  });

  it('is nothing while a gate or a person is waited for, or the run is paused, failed or cancelled', () => {
    const approval = run((s) => {
      s.status = 'awaiting_approval';
      s.wait = { for: 'approval', step: 'response', opened_at: STARTED };
    });
    expect(dueTime(approval, FLOW, [])).toBeUndefined();
    for (const status of ['paused', 'failed', 'cancelled'] as const) {
      expect(
        dueTime(
          run((s) => (s.status = status)),
          FLOW,
          [],
        ),
      ).toBeUndefined();
    }
  });

  it("is a completed run's archive day, until the archive is decided", () => {
    const done = run((s) => {
      s.status = 'completed';
      s.stage = 'done';
      s.completed_at = '2026-01-06T12:00:00.000Z';
      delete s.wait;
    });
    expect(dueTime(done, FLOW, [])).toBe('2026-01-09T12:00:00.000Z');
    // The workflow unknown (not on the default branch any more): no archive day.
    expect(dueTime(done, undefined, [])).toBeUndefined();
    // Decided: the reply is the record (a person's comment quoting the marker does not count).
    const reply = `Closing this.\n\n${replyMarker(`archive:${done.id}`)}`;
    expect(dueTime(done, FLOW, [comment(5, reply)])).toBe('2026-01-09T12:00:00.000Z');
    expect(dueTime(done, FLOW, [comment(5, reply, { isBot: true })])).toBeUndefined();
    // A terminal stage without archive.
    expect(dueTime({ ...done, stage: 'dropped' }, FLOW, [])).toBeUndefined();
  });
});

describe('timerLabels', () => {
  it("holds every stage's labels but a terminal stage's without archive, and the awaiting-approval label", () => {
    expect([...timerLabels([FLOW])].sort()).toEqual(
      ['flowgate: awaiting approval', 'flowgate: done', 'flowgate: draft', 'needs-eyes'].sort(),
    );
  });
});
