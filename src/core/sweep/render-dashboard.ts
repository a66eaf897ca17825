import { escapeMarkdownCell } from '../render/escape.ts';
import { MAX_COMMENT_CHARS } from '../render/status-comment.ts';
import type { Workflow } from '../workflow.ts';
import {
  activitySection,
  itemDetails,
  pastSection,
  stageTable,
  statusWord,
  sweepSummary,
} from './dashboard-sections.ts';
import { nextRunText } from './next-scheduled-run.ts';
import { batchSizesText, pausedNote, pausedStagesLine } from './schedule-lines.ts';
import { scheduleOf } from './schedule-of.ts';
import { sweepProgress } from './sweep-progress.ts';
import type { SweepState } from './sweep-state.ts';
import { encodeSweepState, MAX_SWEEP_BLOCK_CHARS } from './sweep-state-block.ts';
import { timeOf } from './sweep-time.ts';

export interface DashboardOptions {
  /** The state key (FLOWGATE_STATE_PRIVATE_KEY) that signs the state block. */
  key: string;
  /** The repository's id, which the block is bound to. */
  repoId: number | undefined;
  /** Events shown (default and most: 50). */
  maxEvents?: number;
  /** Past sweeps shown (default: all the state keeps). */
  maxPast?: number;
  /** Failed items listed with their reasons (default 30). */
  maxFailed?: number;
}

const MAX_EVENTS = 50;
const DEFAULT_MAX_FAILED = 30;
const TRUNCATED = '\n\n… (cut to fit GitHub’s size limit)';

/** The dashboard issue's title: `on.schedule.dashboard.title`, else one made from the workflow name. */
export function dashboardTitle(workflow: Workflow): string {
  return scheduleOf(workflow).dashboard.title ?? `flowgate sweeps: ${workflow.name}`;
}

/** The hidden marker the shell finds the workflow's dashboard issue by (the name is percent-encoded). */
export function dashboardMarker(workflowName: string): string {
  return `<!-- flowgate:dashboard workflow=${encodeURIComponent(workflowName)} -->`;
}

/**
 * The dashboard issue's body: the marker; the schedule (cron lines, the next scheduled run, batch sizes per stage,
 * the stages paused with `/pause <stage>`); the current sweep (status, who started it, progress
 * with ETA, spending against the budget, the lease, the commands, a table of stages with queue, processed,
 * remaining, current items, elapsed time, ETA and spending, then the items waiting for people and the failed
 * ones); the newest events; the past sweeps with links to their Actions runs; and, last, the signed state block.
 * Untrusted text (names, reasons, events) is escaped. The body stays within GitHub's 65,536 characters: it shows
 * fewer events, then fewer past sweeps, then fewer failed items, and only as a last resort cuts the text.
 */
export function renderDashboard(
  workflow: Workflow,
  state: SweepState,
  now: string,
  options: DashboardOptions,
): string {
  timeOf(now, 'now');
  const schedule = scheduleOf(workflow);
  const block = encodeSweepState(state, options.key, options.repoId, MAX_SWEEP_BLOCK_CHARS);
  const marker = dashboardMarker(workflow.name);
  const limit = MAX_COMMENT_CHARS - marker.length - block.length - 4;

  const head = [
    `## ${escapeMarkdownCell(dashboardTitle(workflow), 120)}`,
    [
      `Scheduled sweeps of workflow \`${workflow.name}\` · cron ${schedule.cron.map((c) => `\`${c.replace(/`/g, '')}\``).join(', ')} (UTC) · ${schedule.strategy} · ${batchSizesText(workflow)} · on failure: ${schedule.on_failure}`,
      `**Next scheduled run:** ${nextRunText(workflow, now)}${pausedNote(state)}`,
      ...pausedStagesLine(workflow, state),
    ].join('  \n'),
  ];
  const sweep = state.current;
  const names = new Map(workflow.stages.map((s) => [s.id, s.name]));
  const progress = sweep === undefined ? undefined : sweepProgress(workflow, sweep, state.averages, now);
  const current =
    sweep === undefined || progress === undefined
      ? ['_No sweep has run yet. The next one starts on schedule, or with a run now of the sweep workflow._']
      : [
          `### Sweep ${escapeMarkdownCell(sweep.id, 80)} · ${statusWord(sweep.status)}`,
          sweepSummary(state, sweep, progress),
          stageTable(progress.stages),
        ];

  const build = (events: number, past: number, failed: number) =>
    [
      ...head,
      ...current,
      sweep === undefined ? '' : itemDetails(sweep, names, failed),
      activitySection(state.events, state.events_trimmed, events),
      pastSection(state.past, state.past_trimmed, past),
    ]
      .filter((part) => part !== '')
      .join('\n\n');

  const knobs = {
    events: Math.min(MAX_EVENTS, Math.max(0, Math.floor(options.maxEvents ?? MAX_EVENTS))),
    past: Math.max(0, Math.floor(options.maxPast ?? state.past.length)),
    failed: Math.max(0, Math.floor(options.maxFailed ?? DEFAULT_MAX_FAILED)),
  };
  const fits = (k: typeof knobs) => build(k.events, k.past, k.failed).length <= limit;
  const chosen = { ...knobs };
  for (const knob of ['events', 'past', 'failed'] as const) {
    if (fits(chosen)) break;
    const most = largestFitting(chosen[knob], (n) => fits({ ...chosen, [knob]: n }));
    chosen[knob] = most ?? 0;
  }
  let visible = build(chosen.events, chosen.past, chosen.failed);
  if (visible.length > limit) {
    // Cut between characters, never inside a surrogate pair.
    const kept = visible.slice(0, Math.max(0, limit - TRUNCATED.length)).replace(/[\ud800-\udbff]$/, '');
    visible = kept + TRUNCATED;
  }
  return `${marker}\n${visible}\n\n${block}`;
}

/** The largest n in 0..max with `fits(n)`, or undefined if not even 0 fits (longer lists never get shorter). */
function largestFitting(max: number, fits: (n: number) => boolean): number | undefined {
  if (!fits(0)) return undefined;
  let low = 0;
  let high = max;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}
