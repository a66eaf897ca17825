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

/**
 * The labels that show a run of one of `workflows` which may have a due time: the labels of every stage but a
 * terminal one without `archive` (a run there has completed, and nothing is due for it), and the awaiting-approval
 * label. A subject carrying none of them has no run with a due time, as far as its labels tell.
 */
export function timerLabels(workflows: readonly Workflow[]): Set<string> {
  return new Set(
    workflows.flatMap((w) => [
      ...w.stages.flatMap((s) => (s.type === 'terminal' && s.archive === undefined ? [] : s.labels)),
      w.labels.awaiting_approval,
    ]),
  );
}
