import { parseCommands } from '../commands/parse-commands.ts';
import { formatTime } from '../render/format.ts';
import { PERMISSIONS, type Permission } from '../schema/gate.ts';
import type { Workflow } from '../workflow.ts';
import { budgetReached } from './check-budget.ts';
import { otherCommandAnswer } from './dashboard-answers.ts';
import { type Change, changed, running, unchanged } from './dashboard-change.ts';
import { itemList } from './dashboard-sections.ts';
import {
  pauseStage,
  resumeStage,
  retryFailed,
  stageCommand,
  unknownStageAnswer,
} from './dashboard-stage-commands.ts';
import { scheduleOf } from './schedule-of.ts';
import { SweepInputError } from './sweep-error.ts';
import type { StageQueue, Sweep, SweepState } from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

/** The repository permission `/pause`, `/resume` and `/retry failed` on the dashboard need. */
export const STEER_PERMISSION: Permission = 'write';

/** Repository roles, weakest first. */
const RANKS: readonly string[] = PERMISSIONS;

/** A comment on the dashboard issue, with what the shell found out about its author. */
export interface DashboardComment {
  id: number;
  author: string;
  body: string;
  created_at: string;
  /** The author's role on the repository, from the collaborator permission API (`none` for strangers). */
  permission: Permission | 'none';
}

/** What one command line did, for the shell's reaction and reply. */
export interface CommandOutcome {
  comment_id: number;
  line: number;
  /** The command word, or the word as written for a line that is not a command flowgate follows. */
  command: string;
  /**
   * Whether the line is a command flowgate knows (the shell reacts with eyes); false for a near miss (`/pasue`) or
   * a command with arguments it cannot take, which are only answered, as the app does.
   */
  known: boolean;
  /** Whether the sweep's status changed (the shell reacts with +1). */
  applied: boolean;
  /** Whether `message` should be posted as a reply: every command not applied, and applied ones with a caveat. */
  reply: boolean;
  /** One or two sentences for the reply, in Markdown. */
  message: string;
}

/**
 * Applies `/pause`, `/resume` and `/retry failed` from dashboard comments newer than the state's cursor, oldest
 * first (comments are level-triggered: pass every comment the shell sees; those applied before change nothing):
 * - `/pause` on a running sweep pauses it, after the batch in flight if there is one (`stopping`);
 * - `/resume` goes on with a paused or pausing sweep, with a failed one (its failed items are tried again), or
 *   with one its budget stopped (it stops again at once unless the budget was raised);
 * - `/pause <stage>` and `/resume <stage>` hold and release one stage, across sweeps; `/retry failed [stage]`
 *   tries the failed items of a stage (of every stage) again (see dashboard-stage-commands.ts); a stage the
 *   workflow does not have is refused with the stages the command takes.
 * All need write permission (`STEER_PERMISSION`). `/status` and `/flowgate help` are answered; commands that act
 * on one item's run (`/approve`, `/retry`...) are answered with where they go; commands with nothing to act on,
 * from people without the permission, and near misses (`/pasue`) are answered, not applied. Bots' comments should
 * not be passed at all (no reply loops).
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
        known: false,
        applied: false,
        reply: true,
        message: problem.message,
      });
    }
    for (const command of parsed.commands) {
      const base = { comment_id: comment.id, line: command.line, command: command.kind, known: true };
      const staged = stageCommand(workflow, command);
      if (command.kind !== 'pause' && command.kind !== 'resume' && staged === undefined) {
        const message = otherCommandAnswer(workflow, next, command, now);
        outcomes.push({ ...base, applied: false, reply: true, message });
        continue;
      }
      if (!maySteer(comment.permission)) {
        const what = staged?.kind === 'retry-failed' ? 'retry failed items of' : `${command.kind}`;
        outcomes.push({
          ...base,
          applied: false,
          reply: true,
          message: `@${comment.author} cannot ${what} sweeps: it needs ${STEER_PERMISSION} permission, and @${comment.author} has ${comment.permission}. Who may pause, resume or retry sweeps: anyone with ${STEER_PERMISSION} permission on this repository.`,
        });
        continue;
      }
      if (staged?.kind === 'unknown') {
        const message = unknownStageAnswer(workflow, next, staged);
        outcomes.push({ ...base, applied: false, reply: true, message });
        continue;
      }
      const note =
        (command.kind === 'pause' || command.kind === 'resume') && command.note !== undefined
          ? `: ${command.note}`
          : '';
      const result =
        staged === undefined
          ? command.kind === 'pause'
            ? pause(next, comment, note, now)
            : resume(workflow, next, comment, note, now)
          : staged.kind === 'pause'
            ? pauseStage(workflow, next, comment.author, staged.stage, staged.note, now)
            : staged.kind === 'resume'
              ? resumeStage(next, comment.author, staged.stage, staged.note, now)
              : retryFailed(workflow, next, comment.author, staged.stage, now);
      next = result.state;
      outcomes.push({ ...base, applied: result.applied, reply: result.reply, message: result.message });
    }
    next = { ...next, cursor: Math.max(next.cursor, comment.id) };
  }
  return { state: next, outcomes };
}

function maySteer(permission: string): boolean {
  return RANKS.indexOf(permission) >= RANKS.indexOf(STEER_PERMISSION);
}

const NEXT_SWEEP = 'The next sweep starts on schedule, or with a run now of the sweep workflow.';

function pause(state: SweepState, comment: DashboardComment, note: string, now: string): Change {
  const sweep = state.current;
  if (sweep === undefined) return unchanged(state, `No sweep has run yet: there is nothing to pause.`);
  const id = `\`${sweep.id}\``;
  switch (sweep.status) {
    case 'paused':
      return unchanged(state, `Sweep ${id} is already paused; \`/resume\` goes on with it.`);
    case 'stopping':
      return unchanged(state, `Sweep ${id} is already pausing after the batch in flight.`);
    case 'completed':
    case 'failed':
    case 'budget_stopped':
      return unchanged(
        state,
        `Nothing is running: sweep ${id} ${endedWords(sweep)}, so there is nothing to pause. ${NEXT_SWEEP}`,
      );
    case 'running':
      break;
  }
  const batch = Object.values(sweep.stages).flatMap((q) => q.started);
  const reason = `paused by @${comment.author}${note}`;
  const status = batch.length > 0 ? 'stopping' : 'paused';
  const result = changed(state, { ...sweep, status, reason, updated_at: now }, comment.author, now, reason);
  return batch.length > 0
    ? {
        ...result,
        reply: true,
        message: `Sweep ${id} pauses once the batch in flight (${itemList(batch, 10)}) is done; \`/resume\` goes on with it.`,
      }
    : { ...result, message: `Sweep ${id} is paused; \`/resume\` goes on with it.` };
}

function resume(
  workflow: Workflow,
  state: SweepState,
  comment: DashboardComment,
  note: string,
  now: string,
): Change {
  const sweep = state.current;
  if (sweep === undefined) return unchanged(state, `No sweep has run yet: there is nothing to resume.`);
  const id = `\`${sweep.id}\``;
  const what = `resumed by @${comment.author}${note}`;
  switch (sweep.status) {
    case 'running':
      return unchanged(state, `Sweep ${id} is running, not paused: there is nothing to resume.`);
    case 'completed':
      return unchanged(state, `Sweep ${id} ${endedWords(sweep)}: there is nothing to resume. ${NEXT_SWEEP}`);
    case 'paused':
    case 'stopping':
      return {
        ...changed(state, running(sweep, now), comment.author, now, what),
        message: `Sweep ${id} goes on.`,
      };
    case 'failed': {
      const retried: number[] = [];
      const stages: Record<string, StageQueue> = {};
      for (const [stage, queue] of Object.entries(sweep.stages)) {
        retried.push(...queue.failed.map((f) => f.item));
        stages[stage] = {
          ...queue,
          failed: [],
          pending: [...queue.failed.map((f) => f.item), ...queue.pending],
        };
        if (queue.failed.length > 0) delete stages[stage].finished_at;
      }
      const list = retried.length === 0 ? '' : `; failed items are tried again: ${itemList(retried, 20)}`;
      const retries = {
        ...sweep.retries,
        ...Object.fromEntries(retried.map((n) => [String(n), comment.author])),
      };
      return {
        ...changed(state, { ...running(sweep, now), stages, retries }, comment.author, now, `${what}${list}`),
        reply: retried.length > 0,
        message: `Sweep ${id} goes on${list}.`,
      };
    }
    case 'budget_stopped': {
      const reached = budgetReached(scheduleOf(workflow).budget, sweep.spend);
      const result = changed(state, running(sweep, now), comment.author, now, what);
      return reached === undefined
        ? { ...result, message: `Sweep ${id} goes on.` }
        : {
            ...result,
            reply: true,
            message: `Sweep ${id} goes on, but it stops again at once: ${reached}. Raise \`on.schedule.budget\` first, then \`/resume\`.`,
          };
    }
  }
}

/** `completed 2025-06-12 02:17 UTC`, `failed (reason)`, `was stopped by its budget`. */
function endedWords(sweep: Sweep): string {
  const at = formatTime(sweep.finished_at ?? sweep.updated_at);
  if (sweep.status === 'completed') return `completed ${at}`;
  if (sweep.status === 'failed') return `failed ${at}; \`/resume\` tries its failed items again`;
  return `was stopped by its budget ${at}; \`/resume\` goes on once \`on.schedule.budget\` is raised`;
}

function checkComment(comment: DashboardComment): number {
  if (!Number.isSafeInteger(comment.id) || comment.id < 1) {
    throw new SweepInputError(
      `a dashboard comment has id ${JSON.stringify(comment.id)}: it must be a positive integer`,
    );
  }
  if (typeof comment.body !== 'string')
    throw new SweepInputError(`dashboard comment ${comment.id} has no body`);
  if (comment.permission !== 'none' && !RANKS.includes(comment.permission)) {
    throw new SweepInputError(
      `dashboard comment ${comment.id} has permission ${JSON.stringify(comment.permission)}: it must be none, ${RANKS.join(', ')}`,
    );
  }
  timeOf(comment.created_at, `created_at of dashboard comment ${comment.id}`);
  return comment.id;
}
