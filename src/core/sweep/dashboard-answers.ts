import type { Command } from '../commands/command.ts';
import { escapeMarkdownCell } from '../render/escape.ts';
import { formatCost, formatCount, formatTime } from '../render/format.ts';
import type { Workflow } from '../workflow.ts';
import { formatDuration, itemList } from './dashboard-sections.ts';
import { nextRunText } from './next-scheduled-run.ts';
import { sweepProgress } from './sweep-progress.ts';
import type { Sweep, SweepState } from './sweep-state.ts';

/** The commands the dashboard takes, for the replies. */
export const DASHBOARD_COMMANDS =
  '`/pause [stage]`, `/resume [stage]`, `/retry failed [stage]`, `/status` and `/flowgate help`';

/**
 * The answer to a command on the dashboard other than `/pause`, `/resume` and `/retry failed`: `/status` and `/flowgate help` are
 * answered; a command that acts on one item's run (`/approve`, `/reject`, `/retry`, `/cancel`, `/flowgate goto`,
 * `/flowgate start`) is answered with where it goes, and which items of the sweep it could be meant for.
 */
export function otherCommandAnswer(
  workflow: Workflow,
  state: SweepState,
  command: Command,
  now: string,
): string {
  const sweep = state.current;
  const here = `This dashboard takes ${DASHBOARD_COMMANDS}.`;
  switch (command.kind) {
    case 'status':
      return sweep === undefined
        ? 'No sweep has run yet. The next one starts on schedule, or with a run now of the sweep workflow.'
        : statusAnswer(workflow, state, sweep, now);
    case 'help':
      return dashboardHelp();
    case 'approve':
    case 'reject':
      return [
        `\`/${command.kind}\` decides the gate of one item's run: comment it on that item's issue or pull request, not on this dashboard.`,
        sweep === undefined ? '' : waitingLine(sweep),
        here,
      ]
        .filter(Boolean)
        .join(' ');
    case 'retry':
      return [
        "`/retry` runs one item's stage again: comment it on that item's issue or pull request, not on this dashboard; here, `/retry failed [stage]` tries the sweep's failed items (of that stage) again.",
        sweep === undefined ? '' : failedLine(sweep),
        here,
      ]
        .filter(Boolean)
        .join(' ');
    case 'cancel':
      return "`/cancel` ends one item's run: comment it on that item's issue or pull request. To stop the sweep, comment `/pause` here.";
    case 'goto':
      return `\`/flowgate goto\` moves one item's run: comment it on that item's issue or pull request. ${here}`;
    case 'start':
      return `\`/flowgate start\` starts a run on the issue or pull request it is commented on. A sweep of \`${workflow.name}\` starts on schedule, or with a run now of the sweep workflow. ${here}`;
    default:
      return here; // /pause and /resume are applied, not answered here
  }
}

/** The `/flowgate help` of the dashboard. */
export function dashboardHelp(): string {
  return [
    '**Commands on this dashboard**, one per line at the start of a new comment:',
    '',
    '- `/pause [note]`: pause the sweep (after the batch in flight); needs write permission',
    '- `/resume [note]`: go on with a paused sweep, a failed one (its failed items are tried again) or one its budget stopped; needs write permission',
    '- `/pause <stage> [note]`: start no more batches at that stage, in this sweep or later ones (the other stages go on); needs write permission',
    '- `/resume <stage> [note]`: start batches at that stage again; its held items are taken up; needs write permission',
    '- `/retry failed [stage]`: try the failed items of that stage (of every stage) again; needs write permission',
    '- `/status`: where the sweep stands',
    '- `/flowgate help`: this list',
    '',
    "`/approve`, `/reject`, `/retry`, `/cancel` and `/flowgate goto` act on one item's run: comment them on that item's issue or pull request. Commands in quotes and code blocks are ignored.",
  ].join('\n');
}

function statusAnswer(workflow: Workflow, state: SweepState, sweep: Sweep, now: string): string {
  const progress = sweepProgress(workflow, sweep, state.averages, now);
  const words: Record<Sweep['status'], string> = {
    running: 'is running',
    paused: 'is paused',
    stopping: 'pauses after the batch in flight',
    completed: `completed ${formatTime(sweep.finished_at ?? sweep.updated_at)}`,
    failed: 'failed',
    budget_stopped: 'was stopped by its budget',
  };
  const why = sweep.reason === undefined ? '' : ` (${escapeMarkdownCell(sweep.reason, 200)})`;
  const eta =
    (sweep.status === 'running' || sweep.status === 'stopping') && progress.eta_seconds !== undefined
      ? `, about ${formatDuration(progress.eta_seconds)} to go`
      : '';
  const paused = Object.keys(state.paused_stages ?? {});
  const held = paused.length === 0 ? '' : ` Paused stages: ${paused.map((s) => `\`${s}\``).join(', ')}.`;
  return `Sweep \`${sweep.id}\` ${words[sweep.status]}${why}: ${formatCount(progress.processed)} of ${formatCount(progress.processed + progress.remaining)} stage runs done (${progress.percent}%)${eta}; ${formatCount(sweep.spend.tokens)} tokens, ${formatCost(sweep.spend.cost_usd)} spent.${held} Next scheduled run: ${nextRunText(workflow, now)}. The dashboard above has the details.`;
}

function waitingLine(sweep: Sweep): string {
  const at = Object.entries(sweep.stages).filter(([, q]) => q.waiting.length > 0);
  if (at.length === 0) return 'No item of this sweep waits for people now.';
  return `Items of this sweep waiting for people: ${at.map(([stage, q]) => `${itemList(q.waiting, 10)} (at ${stage})`).join('; ')}.`;
}

function failedLine(sweep: Sweep): string {
  const at = Object.entries(sweep.stages).filter(([, q]) => q.failed.length > 0);
  if (at.length === 0) return 'No item of this sweep has failed.';
  const again =
    sweep.status === 'failed' ? '`/resume` here tries them all again' : 'the next sweep takes them up again';
  return `Failed items of this sweep: ${at
    .map(
      ([stage, q]) =>
        `${itemList(
          q.failed.map((f) => f.item),
          10,
        )} (at ${stage})`,
    )
    .join('; ')}; ${again}.`;
}
