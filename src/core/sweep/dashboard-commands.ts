import { parseCommands } from '../commands/parse-commands.ts';
import { formatTime } from '../render/format.ts';
import type { Workflow } from '../workflow.ts';
import { budgetReached } from './check-budget.ts';
import { scheduleOf } from './schedule-of.ts';
import { SweepInputError } from './sweep-error.ts';
import { withEvents } from './sweep-events.ts';
import type { StageQueue, Sweep, SweepEvent, SweepState } from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

/** A comment on the dashboard issue, with what the shell found out about its author. */
export interface DashboardComment {
  id: number;
  author: string;
  body: string;
  created_at: string;
  /** Whether the author may steer sweeps (the shell decides, from the collaborator permission API). */
  allowed: boolean;
}

/** What one command line did, for the shell's reaction and reply. */
export interface CommandOutcome {
  comment_id: number;
  line: number;
  /** The command word, or the word as written for a line that is not a command flowgate follows. */
  command: string;
  /** Whether the sweep's status changed. */
  applied: boolean;
  /** A sentence for the reply. */
  message: string;
}

/**
 * Applies `/pause` and `/resume` from dashboard comments newer than the state's cursor, oldest first (comments
 * are level-triggered: pass every comment the shell sees; those applied before change nothing):
 * - `/pause` on a running sweep pauses it, after the batch in flight if there is one (`stopping`);
 * - `/resume` goes on with a paused or pausing sweep, with a failed one (its failed items are tried again), or
 *   with one its budget stopped (it stops again at once unless the budget was raised).
 * Commands from people who may not steer sweeps, other commands, and commands with nothing to act on are
 * answered, not applied. Bots' comments should not be passed at all.
 */
export function applyDashboardComments(
  workflow: Workflow,
  state: SweepState,
  comments: readonly DashboardComment[],
  now: string,
): { state: SweepState; outcomes: CommandOutcome[] } {
  timeOf(now, 'now');
  const outcomes: CommandOutcome[] = [];
  let next = state;
  const fresh = [...comments].filter((c) => checkComment(c) > state.cursor).sort((a, b) => a.id - b.id);
  for (const comment of fresh) {
    const parsed = parseCommands(comment.body);
    for (const problem of parsed.problems) {
      outcomes.push({
        comment_id: comment.id,
        line: problem.line,
        command: problem.kind === 'near-miss' ? problem.word : problem.raw.trim(),
        applied: false,
        message: problem.message,
      });
    }
    for (const command of parsed.commands) {
      const base = { comment_id: comment.id, line: command.line, command: command.kind };
      if (command.kind !== 'pause' && command.kind !== 'resume') {
        outcomes.push({
          ...base,
          applied: false,
          message: `the dashboard takes /pause and /resume; /${command.kind === 'start' || command.kind === 'goto' || command.kind === 'help' ? `flowgate ${command.kind}` : command.kind} works on an item's own issue or pull request`,
        });
        continue;
      }
      if (!comment.allowed) {
        outcomes.push({
          ...base,
          applied: false,
          message: `@${comment.author} may not ${command.kind} sweeps: it takes write permission on the repository`,
        });
        continue;
      }
      const note = command.note === undefined ? '' : `: ${command.note}`;
      const result =
        command.kind === 'pause'
          ? pause(next, comment, note, now)
          : resume(workflow, next, comment, note, now);
      next = result.state;
      outcomes.push({ ...base, applied: result.applied, message: result.message });
    }
    next = { ...next, cursor: Math.max(next.cursor, comment.id) };
  }
  return { state: next, outcomes };
}

interface Change {
  state: SweepState;
  applied: boolean;
  message: string;
}

function pause(state: SweepState, comment: DashboardComment, note: string, now: string): Change {
  const sweep = state.current;
  if (
    sweep === undefined ||
    (sweep.status !== 'running' && sweep.status !== 'stopping' && sweep.status !== 'paused')
  ) {
    return unchanged(
      state,
      sweep === undefined ? 'no sweep has run yet' : `sweep ${sweep.id} is not running (${sweep.status})`,
    );
  }
  if (sweep.status !== 'running')
    return unchanged(
      state,
      `sweep ${sweep.id} is already ${sweep.status === 'paused' ? 'paused' : 'pausing after its batch'}`,
    );
  const inFlight = Object.values(sweep.stages).some((q) => q.started.length > 0);
  const reason = `paused by @${comment.author}${note}`;
  const status = inFlight ? 'stopping' : 'paused';
  const message = inFlight
    ? `sweep ${sweep.id} pauses after the batch in flight; /resume goes on`
    : `sweep ${sweep.id} is paused; /resume goes on`;
  return changed(state, { ...sweep, status, reason, updated_at: now }, comment, now, reason, message);
}

function resume(
  workflow: Workflow,
  state: SweepState,
  comment: DashboardComment,
  note: string,
  now: string,
): Change {
  const sweep = state.current;
  if (sweep === undefined) return unchanged(state, 'no sweep has run yet');
  const what = `resumed by @${comment.author}${note}`;
  switch (sweep.status) {
    case 'running':
      return unchanged(state, `sweep ${sweep.id} is running`);
    case 'completed':
      return unchanged(
        state,
        `sweep ${sweep.id} completed ${formatTime(sweep.finished_at ?? sweep.updated_at)}; the next sweep starts on schedule or with a run now`,
      );
    case 'paused':
    case 'stopping':
      return changed(state, running(sweep, now), comment, now, what, `sweep ${sweep.id} goes on`);
    case 'failed': {
      const retried: number[] = [];
      const stages: Record<string, StageQueue> = {};
      for (const [id, queue] of Object.entries(sweep.stages)) {
        retried.push(...queue.failed.map((f) => f.item));
        stages[id] = {
          ...queue,
          failed: [],
          pending: [...queue.failed.map((f) => f.item), ...queue.pending],
        };
        if (queue.failed.length > 0) delete stages[id].finished_at;
      }
      const list =
        retried.length === 0
          ? ''
          : `; failed items are tried again: ${retried.map((n) => `#${n}`).join(', ')}`;
      return changed(
        state,
        { ...running(sweep, now), stages },
        comment,
        now,
        `${what}${list}`,
        `sweep ${sweep.id} goes on${list}`,
      );
    }
    case 'budget_stopped': {
      const reached = budgetReached(scheduleOf(workflow).budget, sweep.spend);
      const warning =
        reached === undefined ? '' : `; it stops again at once: ${reached}; raise on.schedule.budget first`;
      return changed(state, running(sweep, now), comment, now, what, `sweep ${sweep.id} goes on${warning}`);
    }
  }
}

function running(sweep: Sweep, now: string): Sweep {
  const { reason: _, finished_at: __, ...rest } = sweep;
  return { ...rest, status: 'running', updated_at: now };
}

function changed(
  state: SweepState,
  sweep: Sweep,
  comment: DashboardComment,
  now: string,
  what: string,
  message: string,
): Change {
  const event: SweepEvent = { at: now, sweep: sweep.id, actor: comment.author, what };
  return { state: withEvents({ ...state, current: sweep }, event), applied: true, message };
}

function unchanged(state: SweepState, message: string): Change {
  return { state, applied: false, message };
}

function checkComment(comment: DashboardComment): number {
  if (!Number.isSafeInteger(comment.id) || comment.id < 1) {
    throw new SweepInputError(
      `a dashboard comment has id ${JSON.stringify(comment.id)}: it must be a positive integer`,
    );
  }
  if (typeof comment.body !== 'string')
    throw new SweepInputError(`dashboard comment ${comment.id} has no body`);
  timeOf(comment.created_at, `created_at of dashboard comment ${comment.id}`);
  return comment.id;
}
