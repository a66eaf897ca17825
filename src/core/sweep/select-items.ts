import type { Selector } from './schedule-of.ts';
import { SweepInputError } from './sweep-error.ts';
import { timeOf } from './sweep-time.ts';

/** The most items one sweep covers: what the dashboard's state block can track (and `select.limit`'s maximum). */
export const MAX_SWEEP_ITEMS = 500;

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the shell knows of one issue or pull request when it lists candidates, in the REST API's terms. */
export interface ItemFacts {
  number: number;
  kind: 'issue' | 'pull_request';
  state: 'open' | 'closed';
  /** Label names. */
  labels: readonly string[];
  created_at: string;
  updated_at: string;
  /** The author's login. */
  author: string;
}

export interface SelectOptions {
  /** Numbers never selected, whatever their labels: the dashboard issue itself. */
  exclude?: readonly number[];
}

/**
 * The numbers of the items a sweep covers, oldest (lowest number) first. An item is selected when all hold:
 * 1. it is open;
 * 2. its kind fits `type` (`issues`, `pull_requests`, or `all`);
 * 3. it carries every label in `labels` and none in `exclude_labels` (label names compare without regard to
 *    letter case, as GitHub compares them);
 * 4. it was created at least `min_age_days` whole days before `now`;
 * 5. it is not in `options.exclude`.
 * Then the lowest numbers are kept, at most `limit` (and never more than 500). An item listed twice (a listing
 * whose pages shifted) counts once, as first listed. `updated_at` and `author` are not used by any selector
 * field today. Facts that are not what GitHub returns (a number that is not a positive integer, an unknown kind
 * or state, a time that is not ISO) throw a `SweepInputError` naming the item.
 */
export function selectItems(
  selector: Selector,
  items: readonly ItemFacts[],
  now: string,
  options: SelectOptions = {},
): number[] {
  const nowMs = timeOf(now, 'now');
  const required = selector.labels.map(folded);
  const excluded = new Set(selector.exclude_labels.map(folded));
  const excludedNumbers = new Set(options.exclude ?? []);
  const oldestCreated = nowMs - selector.min_age_days * DAY_MS;
  const seen = new Set<number>();
  const selected: number[] = [];
  items.forEach((item, index) => {
    checkFacts(item, index);
    if (seen.has(item.number)) return;
    seen.add(item.number);
    const labels = new Set(item.labels.map(folded));
    const fits =
      item.state === 'open' &&
      kindFits(selector.type, item.kind) &&
      required.every((label) => labels.has(label)) &&
      ![...labels].some((label) => excluded.has(label)) &&
      timeOf(item.created_at, `created_at of #${item.number}`) <= oldestCreated &&
      !excludedNumbers.has(item.number);
    if (fits) selected.push(item.number);
  });
  selected.sort((a, b) => a - b);
  return selected.slice(0, Math.min(selector.limit, MAX_SWEEP_ITEMS));
}

function kindFits(type: Selector['type'], kind: ItemFacts['kind']): boolean {
  if (type === 'all') return true;
  return type === 'issues' ? kind === 'issue' : kind === 'pull_request';
}

function folded(label: string): string {
  return label.toLowerCase();
}

function checkFacts(item: ItemFacts, index: number): void {
  const where = `item ${index + 1} of the list`;
  if (!Number.isSafeInteger(item.number) || item.number < 1) {
    throw new SweepInputError(
      `${where} has number ${JSON.stringify(item.number)}: it must be a positive integer`,
    );
  }
  const name = `#${item.number}`;
  if (item.kind !== 'issue' && item.kind !== 'pull_request') {
    throw new SweepInputError(
      `${name} has kind ${JSON.stringify(item.kind)}: it must be issue or pull_request`,
    );
  }
  if (item.state !== 'open' && item.state !== 'closed') {
    throw new SweepInputError(`${name} has state ${JSON.stringify(item.state)}: it must be open or closed`);
  }
  if (!Array.isArray(item.labels) || item.labels.some((label) => typeof label !== 'string')) {
    throw new SweepInputError(`${name} has labels that are not a list of label names`);
  }
  timeOf(item.created_at, `created_at of ${name}`);
  timeOf(item.updated_at, `updated_at of ${name}`);
}
