import { formatCost } from '../render/format.ts';
import type { Usage } from '../state/run-state.ts';
import { type Stage, stageById, type Workflow } from '../workflow.ts';
import { type StageSample, withSample } from './averages.ts';
import { budgetReached } from './check-budget.ts';
import { scheduleOf } from './schedule-of.ts';
import { addSpend, spendOf } from './spend.ts';
import { defaultExit, stageRole } from './stage-roles.ts';
import { SweepInputError } from './sweep-error.ts';
import { withEvents } from './sweep-events.ts';
import {
  emptyStageQueue,
  type Spend,
  type StageAverage,
  type StageQueue,
  type Sweep,
  type SweepEvent,
  type SweepState,
} from './sweep-state.ts';
import { secondsBetween, timeOf } from './sweep-time.ts';

/** The longest failure or skip reason the state keeps, in characters: what the dashboard shows of it. */
export const MAX_REASON_CHARS = 200;

/** What became of one item of a batch. `usage` is what the item's stage used (as the Action reports it). */
export type ItemResult =
  /**
   * The stage's work is done and its gate passed; the item's run moved on to `next` (default: the stage's one way
   * out). `via`: the system stages the run went through on its way there, in order: their actions ran within this
   * stage's step, and each counts as done there too.
   */
  | { item: number; outcome: 'done'; usage?: Usage; next?: string; via?: readonly string[] }
  /** The stage's work is done and its gate waits for a person. */
  | { item: number; outcome: 'waiting'; usage?: Usage }
  | { item: number; outcome: 'failed'; error: string; usage?: Usage }
  /** The shell found nothing to do (the item was closed, its run cancelled...). */
  | { item: number; outcome: 'skipped'; reason: string; usage?: Usage };

/**
 * Records the results of some or all items of a started batch at `stage`, in the order given:
 * - spending goes to the item, the stage and the sweep; the time since the stage's clock was last set is shared
 *   among the results; `done` and `waiting` results feed the stage's averages;
 * - a `done` item moves on: to the next stage's pending items, to its waiting items when a person does that
 *   stage, or to the completed items at a terminal stage; the system stages it went through (`via`) count it done;
 * - a `failed` item is kept with its reason; under `on_failure: stop` the sweep fails;
 * - the sweep stops (`budget_stopped`) once its spending reaches `on.schedule.budget`;
 * - a sweep that was pausing (`stopping`) is paused once no item is started any more.
 * A result for an item already recorded at this stage changes nothing, so recording a batch twice is harmless;
 * a result for an item that is not started there throws a `SweepInputError`.
 */
export function recordResults(
  workflow: Workflow,
  state: SweepState,
  stage: string,
  results: readonly ItemResult[],
  now: string,
): SweepState {
  timeOf(now, 'now');
  const schedule = scheduleOf(workflow);
  const sweep = state.current;
  if (sweep === undefined) throw new SweepInputError('there is no sweep to record results in');
  const from = stageById(workflow, stage);
  const queue = sweep.stages[stage];
  if (from === undefined || queue === undefined) {
    throw new SweepInputError(`sweep ${sweep.id} has no items at stage "${stage}"`);
  }
  const fresh = results.filter((result) => isFresh(queue, result, sweep));
  if (fresh.length === 0) return state;
  checkResults(workflow, from, fresh);

  const draft: Draft = {
    sweep: structuredClone(sweep),
    averages: { ...state.averages },
    events: [],
    now,
  };
  const own = draft.sweep.stages[stage] as StageQueue;
  const elapsed = secondsBetween(own.clock_at ?? now, now);
  own.seconds = round1(own.seconds + elapsed);
  own.clock_at = now;
  const perItem = elapsed / fresh.length;
  for (const result of fresh) {
    applyResult(draft, workflow, from, result, perItem);
    if (draft.sweep.retries !== undefined) delete draft.sweep.retries[String(result.item)];
  }
  if (draft.sweep.retries !== undefined && Object.keys(draft.sweep.retries).length === 0) {
    delete draft.sweep.retries;
  }
  if (own.started.length === 0 && own.pending.length === 0) own.finished_at = now;
  if (draft.sweep.current?.stage === stage && !own.started.includes(draft.sweep.current.item)) {
    const next = own.started[0];
    if (next === undefined) delete draft.sweep.current;
    else draft.sweep.current = { stage, item: next };
  }
  settleStatus(draft, stage, schedule.on_failure, schedule.budget, fresh);
  draft.sweep.updated_at = now;
  return withEvents({ ...state, current: draft.sweep, averages: draft.averages }, ...draft.events);
}

interface Draft {
  sweep: Sweep;
  averages: Record<string, StageAverage>;
  events: SweepEvent[];
  now: string;
}

function applyResult(d: Draft, workflow: Workflow, from: Stage, result: ItemResult, seconds: number): void {
  const queue = d.sweep.stages[from.id] as StageQueue;
  const { item } = result;
  queue.started = queue.started.filter((n) => n !== item);
  const spend = spendOf(result.usage);
  queue.spend = addSpend(queue.spend, spend);
  d.sweep.spend = addSpend(d.sweep.spend, spend);
  const [tokens = 0, cost = 0] = d.sweep.items[String(item)] ?? [];
  const itemTotal = addSpend({ tokens, cost_usd: cost }, spend);
  d.sweep.items[String(item)] = [itemTotal.tokens, itemTotal.cost_usd];
  const event = (what: string) => d.events.push({ at: d.now, sweep: d.sweep.id, stage: from.id, item, what });
  const cost$ = spend.cost_usd > 0 || spend.tokens > 0 ? ` (${costText(spend)})` : '';

  switch (result.outcome) {
    case 'done': {
      queue.done.push(item);
      learn(d, from.id, spend, seconds);
      const to = (
        result.next === undefined ? defaultExit(workflow, from) : stageById(workflow, result.next)
      ) as Stage;
      const via = (result.via ?? []).map((id) => stageById(workflow, id) as Stage);
      for (const stage of via) passThrough(d, stage, item);
      event(`#${item} done${cost$}${via.map((s) => ` → ${s.id}`).join('')}${moveText(to)}`);
      arrive(d, to, item);
      return;
    }
    case 'waiting':
      queue.waiting.push(item);
      learn(d, from.id, spend, seconds);
      event(`#${item} waits for a person's approval${cost$}`);
      return;
    case 'failed': {
      const reason = clip(result.error);
      queue.failed.push({ item, reason, at: d.now });
      event(`#${item} failed${cost$}: ${reason}`);
      return;
    }
    case 'skipped': {
      const reason = clip(result.reason);
      queue.skipped.push({ item, reason });
      event(`#${item} skipped: ${reason}`);
      return;
    }
  }
}

/** The item arrives at `to`: finished at a terminal stage, waiting at a person's stage, pending otherwise. */
function arrive(d: Draft, to: Stage, item: number): void {
  const role = stageRole(to);
  if (role === 'terminal') {
    if (!d.sweep.completed.includes(item)) d.sweep.completed.push(item);
    return;
  }
  d.sweep.stages[to.id] ??= emptyStageQueue();
  const queue = d.sweep.stages[to.id] as StageQueue;
  // A loop may bring an item back to a stage it left: it is then only pending there.
  queue.done = queue.done.filter((n) => n !== item);
  queue.waiting = queue.waiting.filter((n) => n !== item);
  queue.failed = queue.failed.filter((f) => f.item !== item);
  queue.skipped = queue.skipped.filter((s) => s.item !== item);
  if (role === 'human') queue.waiting.push(item);
  else if (!queue.pending.includes(item) && !queue.started.includes(item)) {
    queue.pending.push(item);
    delete queue.finished_at;
  }
}

/**
 * The item went through a system stage within the step of the stage before it: done there, at no cost and in no
 * time of its own (its actions ran in that step), so that the stage's queue counts it like any other.
 */
function passThrough(d: Draft, stage: Stage, item: number): void {
  d.sweep.stages[stage.id] ??= emptyStageQueue();
  const queue = d.sweep.stages[stage.id] as StageQueue;
  queue.pending = queue.pending.filter((n) => n !== item);
  queue.started = queue.started.filter((n) => n !== item);
  queue.waiting = queue.waiting.filter((n) => n !== item);
  queue.failed = queue.failed.filter((f) => f.item !== item);
  queue.skipped = queue.skipped.filter((s) => s.item !== item);
  if (!queue.done.includes(item)) queue.done.push(item);
  queue.started_at ??= d.now;
  if (queue.pending.length === 0 && queue.started.length === 0) queue.finished_at = d.now;
  learn(d, stage.id, { tokens: 0, cost_usd: 0 }, 0);
}

function learn(d: Draft, stage: string, spend: Spend, seconds: number): void {
  const sample: StageSample = { tokens: spend.tokens, cost_usd: spend.cost_usd, seconds };
  d.averages[stage] = withSample(d.averages[stage], sample);
}

function settleStatus(
  d: Draft,
  stage: string,
  onFailure: 'continue' | 'stop',
  budget: Parameters<typeof budgetReached>[0],
  results: readonly ItemResult[],
): void {
  const { sweep } = d;
  const failure = results.find((r) => r.outcome === 'failed');
  const active = sweep.status === 'running' || sweep.status === 'stopping';
  if (active && onFailure === 'stop' && failure !== undefined) {
    end(d, 'failed', `#${failure.item} failed at ${stage} and on_failure is stop`);
    return;
  }
  const reached = budgetReached(budget, sweep.spend);
  if (active && reached !== undefined) {
    end(d, 'budget_stopped', reached);
    return;
  }
  const inFlight = Object.values(sweep.stages).some((q) => q.started.length > 0);
  if (sweep.status === 'stopping' && !inFlight) {
    sweep.status = 'paused';
    d.events.push({
      at: d.now,
      sweep: sweep.id,
      what: `paused after the batch (${sweep.reason ?? 'paused'})`,
    });
  }
}

function end(d: Draft, status: 'failed' | 'budget_stopped', reason: string): void {
  d.sweep.status = status;
  d.sweep.reason = reason;
  d.sweep.finished_at = d.now;
  d.events.push({ at: d.now, sweep: d.sweep.id, what: `sweep stopped: ${reason}` });
}

/** False for a result already recorded at this stage (a batch recorded twice). */
function isFresh(queue: StageQueue, result: ItemResult, sweep: Sweep): boolean {
  if (queue.started.includes(result.item)) return true;
  const recorded =
    queue.done.includes(result.item) ||
    queue.waiting.includes(result.item) ||
    queue.failed.some((f) => f.item === result.item) ||
    queue.skipped.some((s) => s.item === result.item) ||
    sweep.completed.includes(result.item);
  if (recorded) return false;
  throw new SweepInputError(
    `#${result.item} is not started at this stage: take the items of a batch from nextWork and mark them with startBatch first`,
  );
}

function checkResults(workflow: Workflow, from: Stage, results: readonly ItemResult[]): void {
  const seen = new Set<number>();
  for (const result of results) {
    if (seen.has(result.item)) throw new SweepInputError(`#${result.item} has two results in one call`);
    seen.add(result.item);
    const usage = result.usage;
    if (
      usage !== undefined &&
      ![usage.tokens_in, usage.tokens_out, usage.cost_usd].every((n) => Number.isFinite(n) && n >= 0)
    ) {
      throw new SweepInputError(`the usage of #${result.item} must be non-negative numbers`);
    }
    if (result.outcome === 'failed' && (typeof result.error !== 'string' || result.error.trim() === '')) {
      throw new SweepInputError(`the failure of #${result.item} needs an error that says what went wrong`);
    }
    if (result.outcome === 'skipped' && (typeof result.reason !== 'string' || result.reason.trim() === '')) {
      throw new SweepInputError(`skipping #${result.item} needs a reason`);
    }
    if (result.outcome !== 'done') continue;
    for (const id of result.via ?? []) {
      if (stageById(workflow, id) === undefined) {
        throw new SweepInputError(`#${result.item} went through "${id}", a stage the workflow does not have`);
      }
    }
    if (result.next !== undefined) {
      if (stageById(workflow, result.next) === undefined) {
        throw new SweepInputError(
          `#${result.item} moved to "${result.next}", a stage the workflow does not have`,
        );
      }
    } else if (defaultExit(workflow, from) === undefined) {
      throw new SweepInputError(
        `stage "${from.id}" has ${from.transitions === undefined ? 'no way out' : 'several ways out'}: the result of #${result.item} must say which stage its run moved to (next)`,
      );
    }
  }
}

function moveText(to: Stage): string {
  const role = stageRole(to);
  if (role === 'terminal') return `, finished at ${to.id}`;
  if (role === 'human') return `, waits for a person at ${to.id}`;
  return ` → ${to.id}`;
}

function costText(spend: Spend): string {
  return `${spend.tokens} tokens, ${formatCost(spend.cost_usd)}`;
}

/** A reason on one line, at most 200 characters (the dashboard escapes it when it shows it). */
function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= MAX_REASON_CHARS ? flat : `${chars.slice(0, MAX_REASON_CHARS - 1).join('')}…`;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
