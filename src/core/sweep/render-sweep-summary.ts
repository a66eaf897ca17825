import { escapeMarkdownCell } from '../render/escape.ts';
import { formatCount } from '../render/format.ts';
import type { Workflow } from '../workflow.ts';
import { itemDetails, runLink, stageTable, statusWord, sweepSummary } from './dashboard-sections.ts';
import { dashboardTitle } from './render-dashboard.ts';
import { sweepProgress } from './sweep-progress.ts';
import type { SweepState } from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

export interface SweepSummaryOptions {
  /** What became of the sweep in this job, in one line (the job's log says the same). */
  message: string;
  /** The dashboard issue's page, when there is one. */
  dashboard_url?: string;
  /** Item stage runs this job advanced. */
  advanced: number;
  /** Failed items listed with their reasons (default 20). */
  maxFailed?: number;
}

/** The most characters one workflow's part of the job summary takes (GitHub allows 1 MiB per step). */
const MAX_SUMMARY_CHARS = 60_000;

/**
 * One workflow's part of the sweep job's summary (the Actions job summary, linked from the dashboard's past sweeps
 * through the run's page): what this job did, and the sweep as it stands when the job lets go of it (status,
 * progress, spending, the stage table, the items waiting for people and the failed ones). Without a sweep (none has
 * started yet), only the message. Untrusted text is escaped as on the dashboard.
 */
export function renderSweepSummary(
  workflow: Workflow,
  state: SweepState,
  now: string,
  options: SweepSummaryOptions,
): string {
  timeOf(now, 'now');
  const dashboard = runLink(options.dashboard_url, 'dashboard');
  const did =
    options.advanced === 0
      ? 'This job advanced no item.'
      : `This job advanced ${formatCount(options.advanced)} item stage run${options.advanced === 1 ? '' : 's'}.`;
  const parts = [
    `### ${escapeMarkdownCell(dashboardTitle(workflow), 120)} (\`${workflow.name}\`)`,
    `${escapeMarkdownCell(options.message, 600)}${dashboard === '' ? '' : ` · ${dashboard}`}  \n${did}`,
  ];
  const sweep = state.current;
  if (sweep !== undefined) {
    const progress = sweepProgress(workflow, sweep, state.averages, now);
    const names = new Map(workflow.stages.map((s) => [s.id, s.name]));
    parts.push(
      `**Sweep ${escapeMarkdownCell(sweep.id, 80)}** · ${statusWord(sweep.status)}  \n${sweepSummary(state, sweep, progress, false)}`,
      stageTable(progress.stages),
      itemDetails(sweep, names, Math.max(0, Math.floor(options.maxFailed ?? 20))),
    );
  }
  const text = parts.filter((p) => p !== '').join('\n\n');
  if (text.length <= MAX_SUMMARY_CHARS) return text;
  return `${text.slice(0, MAX_SUMMARY_CHARS - 2).replace(/[\ud800-\udbff]$/, '')} …`;
}
