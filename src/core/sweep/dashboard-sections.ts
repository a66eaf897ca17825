import { escapeMarkdownCell } from '../render/escape.ts';
import { formatBudget, formatCost, formatCount, formatPercent, formatTime } from '../render/format.ts';
import type { StageProgress, SweepProgress } from './sweep-progress.ts';
import type { PastSweep, Sweep, SweepEvent, SweepState } from './sweep-state.ts';

/** Seconds as people read a duration: `45s`, `12m`, `2h 15m`, `3d 4h`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

/** A link to an Actions run, or nothing: only plain https URLs are linked (the state is signed, but be strict). */
export function runLink(url: string | undefined, text: string): string {
  if (url === undefined || !/^https:\/\/[^\s()<>[\]"'`]+$/.test(url)) return '';
  return `[${text}](${url})`;
}

/**
 * Links to the Actions runs that worked on a sweep (their pages hold the jobs' logs and summaries): `[run](…)` for
 * one, `[run 1](…) · [run 2](…)` for several; empty when none can be linked.
 */
export function runLinks(sweep: { run_url?: string; runs?: readonly string[] }, word = 'run'): string {
  const urls = sweep.runs ?? (sweep.run_url === undefined ? [] : [sweep.run_url]);
  const links = urls.map((url, i) => runLink(url, urls.length === 1 ? word : `${word} ${i + 1}`));
  return links.filter((l) => l !== '').join(' · ');
}

/** `#1, #2, #3 … and 12 more`. */
export function itemList(items: readonly number[], max: number): string {
  const shown = items.slice(0, max).map((n) => `#${n}`);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} … and ${more} more` : shown.join(', ');
}

/** The one-line progress bar: `██████░░░░ 62%`. */
export function progressBar(percent: number): string {
  const filled = Math.max(0, Math.min(10, Math.floor(percent / 10)));
  return `\`${'█'.repeat(filled)}${'░'.repeat(10 - filled)}\` ${percent}%`;
}

export function statusWord(status: Sweep['status']): string {
  const words: Record<Sweep['status'], string> = {
    running: '🔄 running',
    paused: '⏸️ paused',
    stopping: '⏸️ pausing after the current batch',
    completed: '✅ completed',
    failed: '❌ failed',
    budget_stopped: '💰 stopped by its budget',
  };
  return words[status];
}

/**
 * The lines under the sweep's heading: who started it, progress, spending, and, on the dashboard (`live`), the
 * lease and the commands.
 */
export function sweepSummary(state: SweepState, sweep: Sweep, progress: SweepProgress, live = true): string {
  const by = sweep.trigger === 'cron' ? 'the schedule' : `@${escapeMarkdownCell(sweep.actor, 60)} (run now)`;
  const run = runLinks(sweep, 'Actions run');
  const ended = sweep.finished_at === undefined ? '' : ` · ended ${formatTime(sweep.finished_at)}`;
  const lines = [
    `Started ${formatTime(sweep.started_at)} by ${by}${run === '' ? '' : ` · ${run}`}${ended} · elapsed ${formatDuration(progress.elapsed_seconds)}`,
  ];
  if (sweep.reason !== undefined) lines.push(`**Why:** ${escapeMarkdownCell(sweep.reason, 400)}`);
  const eta =
    sweep.status !== 'running' && sweep.status !== 'stopping'
      ? ''
      : progress.remaining === 0
        ? ''
        : ` · ETA ${progress.eta_seconds === undefined ? 'unknown until a stage has timed items' : formatDuration(progress.eta_seconds)}`;
  lines.push(
    `**Progress:** ${progressBar(progress.percent)} · ${formatCount(progress.processed)} of ${formatCount(progress.processed + progress.remaining)} stage runs${eta}`,
  );
  lines.push(`**Spent:** ${spendText(sweep)}`);
  const counts = sweepCountsLine(sweep, progress);
  if (counts !== '') lines.push(counts);
  if (!live) return lines.join('  \n');
  if (state.lease !== undefined) {
    const link = runLink(state.lease.run_url, 'run');
    lines.push(
      `**Lease:** ${escapeMarkdownCell(state.lease.holder, 80)}${link === '' ? '' : ` (${link})`} until ${formatTime(state.lease.expires_at)}`,
    );
  }
  const commands = commandsFor(sweep.status);
  if (commands !== '') lines.push(commands);
  return lines.join('  \n');
}

function spendText(sweep: Sweep): string {
  const { tokens, cost_usd } = sweep.spend;
  const budget = sweep.budget;
  const tokenText =
    budget?.max_tokens === undefined
      ? `${formatCount(tokens)} tokens`
      : `${formatCount(tokens)} of ${formatCount(budget.max_tokens)} tokens (${formatPercent(tokens, budget.max_tokens)})`;
  const costText =
    budget?.max_cost_usd === undefined
      ? formatCost(cost_usd)
      : `${formatCost(cost_usd)} of ${formatBudget(budget.max_cost_usd)} (${formatPercent(cost_usd, budget.max_cost_usd)})`;
  const estimate =
    budget === undefined
      ? ''
      : ` · estimated at the start: ${formatCount(budget.estimate.tokens)} tokens, ${formatCost(budget.estimate.cost_usd)}`;
  return `${tokenText} · ${costText}${estimate}`;
}

function sweepCountsLine(sweep: Sweep, progress: SweepProgress): string {
  const waiting = progress.stages.reduce((n, s) => n + s.waiting, 0);
  const failed = progress.stages.reduce((n, s) => n + s.failed, 0);
  const parts = [
    `${sweep.selected} selected`,
    `${sweep.completed.length} finished`,
    ...(waiting > 0 ? [`${waiting} waiting for people`] : []),
    ...(failed > 0 ? [`${failed} failed`] : []),
  ];
  return `**Items:** ${parts.join(' · ')}`;
}

function commandsFor(status: Sweep['status']): string {
  const commands: Partial<Record<Sweep['status'], string[]>> = {
    running: ['/pause', '/pause <stage>', '/retry failed [stage]'],
    stopping: ['/resume'],
    paused: ['/resume', '/retry failed [stage]'],
    completed: ['/retry failed [stage]', '/pause <stage>'],
    failed: ['/resume (tries the failed items again)', '/retry failed [stage]'],
    budget_stopped: ['/resume (after raising on.schedule.budget)'],
  };
  const list = commands[status];
  return list === undefined
    ? ''
    : `**Commands** (comment on this issue): ${list.map((c) => `\`${c}\``).join(' · ')}`;
}

/** The per-stage table: queue, processed, remaining, current items, elapsed, ETA and spending. */
export function stageTable(rows: readonly StageProgress[], maxCurrent = 5): string {
  const header = [
    '| Stage | Queue | Processed | Remaining | Failed | Skipped | Waiting | Current | Elapsed | ETA | Tokens | Cost |',
    '|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|',
  ];
  const lines = rows.map((row) => {
    const name = `${escapeMarkdownCell(row.name, 60)}${roleNote(row)}`;
    const cells = [
      name,
      formatCount(row.queue),
      formatCount(row.processed),
      formatCount(row.remaining),
      formatCount(row.failed),
      formatCount(row.skipped),
      formatCount(row.waiting),
      currentCell(row, maxCurrent),
      row.elapsed_seconds === undefined ? '—' : formatDuration(row.elapsed_seconds),
      row.remaining === 0 ? '—' : row.eta_seconds === undefined ? '?' : formatDuration(row.eta_seconds),
      formatCount(row.spend.tokens),
      formatCost(row.spend.cost_usd),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [...header, ...lines].join('\n');
}

/** The batch in flight, the item being worked on first and in bold: `**#6** · #7, #8`. */
function currentCell(row: StageProgress, max: number): string {
  if (row.current.length === 0) return '—';
  if (row.working === undefined) return itemList(row.current, max);
  const others = row.current.filter((n) => n !== row.working);
  return others.length === 0 ? `**#${row.working}**` : `**#${row.working}** · ${itemList(others, max - 1)}`;
}

function roleNote(row: StageProgress): string {
  if (row.role === undefined) return ' (no longer in the workflow)';
  if (row.role === 'human-gate') return " (a person's gate)";
  if (row.role === 'human') return ' (done by a person)';
  if (row.system) return ' (system)';
  return '';
}

/** Items that wait for people, per stage, and failed items with their reasons (at most `maxFailed`). */
export function itemDetails(
  sweep: Sweep,
  stageNames: ReadonlyMap<string, string>,
  maxFailed: number,
): string {
  const parts: string[] = [];
  const waiting = Object.entries(sweep.stages).filter(([, q]) => q.waiting.length > 0);
  if (waiting.length > 0) {
    const lines = waiting.map(
      ([id, q]) => `- at ${escapeMarkdownCell(stageNames.get(id) ?? id, 60)}: ${itemList(q.waiting, 100)}`,
    );
    const total = waiting.reduce((n, [, q]) => n + q.waiting.length, 0);
    parts.push(
      `<details><summary>Waiting for people (${total}): nothing automatic passes their gates</summary>\n\n${lines.join('\n')}\n\n</details>`,
    );
  }
  const failed = Object.entries(sweep.stages).flatMap(([id, q]) =>
    q.failed.map((f) => ({ ...f, stage: id })),
  );
  if (failed.length > 0) {
    const shown = failed.slice(0, maxFailed).map((f) => {
      const reason = f.reason === '' ? '(reason not kept)' : escapeMarkdownCell(f.reason);
      return `- #${f.item} at ${escapeMarkdownCell(stageNames.get(f.stage) ?? f.stage, 60)}, ${formatTime(f.at)}: ${reason}`;
    });
    const more = failed.length - shown.length;
    if (more > 0) shown.push(`- … and ${more} more`);
    parts.push(
      `<details><summary>Failed items (${failed.length})</summary>\n\n${shown.join('\n')}\n\n</details>`,
    );
  }
  return parts.join('\n\n');
}

/** The newest `max` events, newest first. */
export function activitySection(events: readonly SweepEvent[], trimmed: number, max: number): string {
  const shown = events.slice(Math.max(0, events.length - max)).reverse();
  const lines = shown.map((e) => {
    const where = [e.stage === undefined ? '' : escapeMarkdownCell(e.stage, 60)].filter(Boolean);
    const who = e.actor === undefined ? '' : ` (@${escapeMarkdownCell(e.actor, 60)})`;
    return `- ${formatTime(e.at)} · ${[...where, escapeMarkdownCell(e.what, 400)].join(' · ')}${who}`;
  });
  const older = events.length - shown.length + trimmed;
  if (older > 0) lines.push(`- … ${formatCount(older)} older events not shown`);
  const body = lines.length === 0 ? '_No events yet._' : lines.join('\n');
  return `### Activity\n\n<details open><summary>Last ${shown.length} events, newest first</summary>\n\n${body}\n\n</details>`;
}

/** The past sweeps, newest first, at most `max` rows. */
export function pastSection(past: readonly PastSweep[], trimmed: number, max: number): string {
  if (past.length === 0 && trimmed === 0) return '';
  const rows = past
    .slice(Math.max(0, past.length - max))
    .reverse()
    .map((row) => {
      const by = row.trigger === 'cron' ? 'schedule' : `@${escapeMarkdownCell(row.actor, 40)}`;
      const cells = [
        escapeMarkdownCell(row.id, 60),
        formatTime(row.started_at),
        row.finished_at === undefined ? '—' : formatTime(row.finished_at),
        by,
        statusWord(row.status),
        formatCount(row.selected),
        formatCount(row.completed),
        formatCount(row.waiting),
        formatCount(row.failed),
        formatCount(row.skipped),
        formatCount(row.spend.tokens),
        formatCost(row.spend.cost_usd),
        runLinks(row) || '—',
      ];
      return `| ${cells.join(' | ')} |`;
    });
  const older = past.length - rows.length + trimmed;
  const note = older > 0 ? `\n\n${formatCount(older)} older sweeps are not shown.` : '';
  return (
    [
      '### Past sweeps',
      '',
      '| Sweep | Started | Ended | By | Status | Items | Finished | Waiting | Failed | Skipped | Tokens | Cost | Actions runs (logs, summaries) |',
      '|---|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|',
      ...rows,
    ].join('\n') + note
  );
}
