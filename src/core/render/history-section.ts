import type { HistoryEntry } from '../state/run-state.ts';
import { escapeMarkdownCell } from './escape.ts';
import { formatTime } from './format.ts';

/**
 * The last `shown` history entries, oldest first, as a table in a `<details>` block whose summary counts the
 * entries shown and the older ones left out (`trimmed` of them already dropped from the state).
 */
export function renderHistorySection(
  history: readonly HistoryEntry[],
  trimmed: number,
  shown: number,
): string {
  const entries = shown > 0 ? history.slice(-shown) : [];
  const older = trimmed + history.length - entries.length;
  if (entries.length === 0 && older === 0) return '';
  const count = `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`;
  const summary = older > 0 ? `History (${count}, ${older} older trimmed)` : `History (${count})`;
  const lines = [`<details><summary>${summary}</summary>`, ''];
  if (entries.length > 0) {
    lines.push('| Time | Actor | What | Reason |', '| :-- | :-- | :-- | :-- |');
    for (const e of entries) {
      const reason = e.reason === undefined || e.reason.trim() === '' ? '–' : escapeMarkdownCell(e.reason);
      lines.push(
        `| ${formatTime(e.at)} | ${escapeMarkdownCell(e.actor, 40)} | ${escapeMarkdownCell(e.what)} | ${reason} |`,
      );
    }
    lines.push('');
  }
  lines.push('</details>');
  return lines.join('\n');
}
