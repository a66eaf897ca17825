import { escapeMarkdownCell } from './escape.ts';

/** US dollars to four decimals, as costs are shown: `$0.0123`. */
export function formatCost(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/** A budget in US dollars: `$5.00`. */
export function formatBudget(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** An integer with thousands separators, the same on every machine: `400,000`. */
export function formatCount(n: number): string {
  const digits = String(Math.round(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** `part` as a whole percentage of `whole`: `3%`. */
export function formatPercent(part: number, whole: number): string {
  return `${Math.floor((part / whole) * 100)}%`;
}

/** An ISO time to the minute in UTC (`2025-01-02 10:00 UTC`); anything that is not a time is shown escaped. */
export function formatTime(at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return escapeMarkdownCell(at, 40);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
