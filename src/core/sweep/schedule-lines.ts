import { escapeMarkdownCell } from '../render/escape.ts';
import { formatTime } from '../render/format.ts';
import type { Workflow } from '../workflow.ts';
import { scheduleOf } from './schedule-of.ts';
import type { SweepState } from './sweep-state.ts';

/** `batches of 10`, with the stages whose own `batch_size` differs: `batches of 10 (draft: 1, images: 2)`. */
export function batchSizesText(workflow: Workflow): string {
  const size = scheduleOf(workflow).batch_size;
  const own = workflow.stages
    .filter((s) => s.batch_size !== undefined && s.batch_size !== size)
    .map((s) => `${s.id}: ${s.batch_size}`);
  return `batches of ${size}${own.length === 0 ? '' : ` (${own.join(', ')})`}`;
}

/** What the next scheduled run does with a paused sweep: nothing until `/resume`. */
export function pausedNote(state: SweepState): string {
  const status = state.current?.status;
  return status === 'paused' || status === 'stopping'
    ? ' · the sweep is paused: a scheduled run goes on with it only after `/resume`'
    : '';
}

/** `**Paused stages:** draft (by @maya, 2026-12-04 08:00 UTC: note) · \`/resume <stage>\` goes on`, or nothing. */
export function pausedStagesLine(workflow: Workflow, state: SweepState): string[] {
  const paused = Object.entries(state.paused_stages ?? {});
  if (paused.length === 0) return [];
  const names = new Map(workflow.stages.map((s) => [s.id, s.name]));
  const list = paused.map(([id, p]) => {
    const note = p.note === undefined ? '' : `: ${escapeMarkdownCell(p.note, 200)}`;
    return `${escapeMarkdownCell(names.get(id) ?? id, 60)} (by @${escapeMarkdownCell(p.by, 60)}, ${formatTime(p.at)}${note})`;
  });
  return [`**Paused stages:** ${list.join(' · ')}; \`/resume <stage>\` goes on with a stage`];
}
