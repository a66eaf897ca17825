import type { RunState } from '../../core/state/run-state.ts';
import type { Workflow } from '../../core/workflow.ts';
import type { IssueComment } from '../../github/types.ts';
import { replyMarker } from '../../reconcile/post-reply.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When the run next needs a reconcile that no event will bring, read from its (verified) state: the deadline of the
 * step it waits for, the end of a `delay`, or, for a completed run whose terminal stage has `archive`, the day the
 * subject is due to be closed (unless the archive was already decided: its reply is on the subject). Undefined: no
 * time is set. `workflow` is the run's workflow as the job read it (undefined: not found; no archive time then).
 * Pure.
 */
export function dueTime(
  state: RunState,
  workflow: Workflow | undefined,
  comments: readonly IssueComment[],
): string | undefined {
  const wait = state.wait;
  if (state.status === 'running' || state.status === 'awaiting_approval') {
    if (wait?.for === 'action') return wait.deadline;
    if (wait?.for === 'delay') return wait.until;
    return undefined;
  }
  if (state.status !== 'completed' || state.completed_at === undefined) return undefined;
  const archive = workflow?.stages.find((s) => s.id === state.stage)?.archive;
  if (archive === undefined) return undefined;
  const marker = replyMarker(`archive:${state.id}`);
  if (comments.some((c) => c.isBot && c.body.includes(marker))) return undefined;
  return new Date(Date.parse(state.completed_at) + archive.after_days * DAY_MS).toISOString();
}

/** Every label a run of one of `workflows` can leave on its subject: each stage's labels and the awaiting-approval label. */
export function runLabels(workflows: readonly Workflow[]): Set<string> {
  return new Set(
    workflows.flatMap((w) => [...w.stages.flatMap((s) => s.labels), w.labels.awaiting_approval]),
  );
}
