import { formatCost, formatCount } from '../render/format.ts';
import type { SimulationResult, TranscriptEntry } from './simulation.ts';

const LABEL_WIDTH = 9;

/** A longer path of stages shows this many at each end. */
const PATH_ENDS = 6;

/** The transcript as lines: each event with the history it added and its effects, then warnings, then the outcome. */
export function formatTranscript(result: SimulationResult): string[] {
  return [...result.entries.flatMap(formatEntry), ...formatEnding(result)];
}

/** What follows the events: warnings about the script, a blank line, and the final status line. */
export function formatEnding(result: SimulationResult): string[] {
  return [...result.warnings.map((w) => `warning: ${w}`), '', finalStatusLine(result)];
}

/** One event: `[ 3] 09:02 comment by @alice: /approve`, then its history, effects and notes, indented. */
export function formatEntry(entry: TranscriptEntry): string[] {
  const time = entry.at.slice(11, 16);
  const number = entry.n === undefined ? '  -' : String(entry.n).padStart(3);
  const unchanged =
    entry.n !== undefined && !entry.changed && entry.effects.length === 0 ? ' (no change)' : '';
  const lines = [`[${number}] ${time} ${entry.event}${unchanged}`];
  const row = (label: string, text: string) => {
    const [first = '', ...rest] = text.split('\n');
    lines.push(`        ${label.padEnd(LABEL_WIDTH)}${first}`);
    for (const more of rest) lines.push(`        ${' '.repeat(LABEL_WIDTH)}${more}`);
  };
  for (const text of entry.notes) row('note', text);
  for (const text of entry.history) row('history', text);
  for (const effect of entry.effects) row(effect.label, effect.text);
  return lines;
}

/** How the run ended, in one line: `completed: feature, plan -> implement -> done; 24 events; 3,456 tokens, $0.0123`. */
export function finalStatusLine(result: SimulationResult): string {
  const { outcome, state } = result;
  const { visited } = result;
  const shown =
    visited.length <= 2 * PATH_ENDS
      ? visited
      : [
          ...visited.slice(0, PATH_ENDS),
          `… ${visited.length - 2 * PATH_ENDS} more …`,
          ...visited.slice(-PATH_ENDS),
        ];
  const path = shown.join(' -> ');
  const usage =
    state === undefined
      ? ''
      : `; ${formatCount(state.usage.tokens_in + state.usage.tokens_out)} tokens, ${formatCost(state.usage.cost_usd)}`;
  const events = `${result.events} event${result.events === 1 ? '' : 's'}`;
  const where = path === '' ? '' : `: ${path}`;
  if (outcome.kind === 'completed') return `completed${where}; ${events}${usage}`;
  return `${outcome.reason}${where === '' ? '' : `; stages${where}`}; ${events}${usage}`;
}
