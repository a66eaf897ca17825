import { formatCost, formatCount, formatTime } from '../render/format.ts';
import type { Workflow } from '../workflow.ts';
import { checkBudget } from './check-budget.ts';
import { estimateSweep, remainingQueues, type SweepEstimate } from './estimate-sweep.ts';
import { holdsLease } from './lease.ts';
import { placeItem, type SweepItem } from './place-items.ts';
import { scheduleOf } from './schedule-of.ts';
import { MAX_SWEEP_ITEMS } from './select-items.ts';
import { summarizeSweep } from './summarize-sweep.ts';
import { SweepInputError } from './sweep-error.ts';
import { withEvents } from './sweep-events.ts';
import {
  ENDED_STATUSES,
  emptyStageQueue,
  type StageQueue,
  type Sweep,
  type SweepState,
  type SweepTrigger,
} from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StartSweepParams {
  /** A new, unique id for the sweep, made by the shell (e.g. from the time and the Actions run id). */
  id: string;
  now: string;
  /** The lease holder starting it: it must hold the lease (see `acquireLease`). */
  holder: string;
  trigger: SweepTrigger;
  /** `schedule` for cron, else the login that asked for the run. */
  actor: string;
  run_url?: string;
  /** The blob sha of the workflow file. */
  definition?: string;
  /** The selected items (see `selectItems`), with their runs' positions; the sweep takes them oldest (lowest number) first. */
  items: readonly SweepItem[];
}

export type StartSweepResult =
  | { ok: true; state: SweepState; estimate: SweepEstimate; warning?: string }
  | {
      ok: false;
      /** busy: a sweep is running or paused; empty: no item to work on; over_budget: the estimate is too high. */
      code: 'busy' | 'empty' | 'over_budget';
      message: string;
      /** The state with the refusal in its activity log, for the lease holder to write. */
      state: SweepState;
      estimate?: SweepEstimate;
    };

/**
 * Starts a sweep over the selected items, or says why not:
 * - `busy` while the current sweep is running, stopping or paused (a paused sweep waits for `/resume`; the
 *   schedule does not replace it);
 * - `empty` when no item has work left (none selected, or every one completed, skipped or waiting for people), or
 *   every item with work left is at a stage paused with `/pause <stage>`;
 * - `over_budget` when the estimate of the work exceeds `on.schedule.budget` (the numbers are in the message).
 * Each item starts where its run stands (see `placeItem`). An ended sweep becomes a row of the past sweeps table;
 * rows older than `dashboard.retention_days` are dropped and counted.
 */
export function startSweep(
  workflow: Workflow,
  state: SweepState,
  params: StartSweepParams,
): StartSweepResult {
  const schedule = scheduleOf(workflow);
  const nowMs = timeOf(params.now, 'now');
  checkParams(state, params);
  const { now } = params;
  const refuse = (code: 'busy' | 'empty' | 'over_budget', message: string, estimate?: SweepEstimate) => ({
    ok: false as const,
    code,
    message,
    state: withEvents(state, { at: now, actor: params.actor, what: `no sweep started: ${message}` }),
    ...(estimate === undefined ? {} : { estimate }),
  });

  const current = state.current;
  if (current !== undefined && !ENDED_STATUSES.includes(current.status)) {
    return refuse('busy', busyMessage(current));
  }

  const sweep = newSweep(workflow, params, current?.retries);
  const estimate = estimateSweep(workflow, remainingQueues(workflow, sweep), state.averages);
  if (Object.values(sweep.stages).every((q) => q.pending.length === 0)) {
    const why =
      params.items.length === 0
        ? 'no open item matches on.schedule.select'
        : `none of the ${params.items.length} selected items has work left (completed, skipped or waiting for people)`;
    return refuse('empty', why, estimate);
  }
  const paused = state.paused_stages ?? {};
  const pendingAt = Object.entries(sweep.stages).filter(([, q]) => q.pending.length > 0);
  if (pendingAt.every(([stage]) => paused[stage] !== undefined)) {
    const held = pendingAt.reduce((n, [, q]) => n + q.pending.length, 0);
    const stages = pendingAt.map(([stage]) => stage).join(', ');
    return refuse(
      'empty',
      `the ${held} selected items with work left are all at paused stages (${stages}); \`/resume <stage>\` on the dashboard lets the next sweep take them up`,
      estimate,
    );
  }
  const check = checkBudget(schedule.budget, estimate);
  if (!check.ok) return refuse('over_budget', check.reason, estimate);

  sweep.budget = {
    ...(schedule.budget?.max_tokens === undefined ? {} : { max_tokens: schedule.budget.max_tokens }),
    ...(schedule.budget?.max_cost_usd === undefined ? {} : { max_cost_usd: schedule.budget.max_cost_usd }),
    estimate: estimate.total,
  };
  const past = current === undefined ? state.past : [...state.past, summarizeSweep(current)];
  const cutoff = nowMs - schedule.dashboard.retention_days * DAY_MS;
  const kept = past.filter((row) => timeOf(row.started_at, `the start of past sweep ${row.id}`) >= cutoff);
  const pending = Object.values(sweep.stages).reduce((n, q) => n + q.pending.length, 0);
  const by = params.trigger === 'cron' ? 'the schedule' : `@${params.actor} (run now)`;
  const events = [
    {
      at: now,
      sweep: sweep.id,
      ...(params.trigger === 'run-now' ? { actor: params.actor } : {}),
      what: `sweep ${sweep.id} started by ${by}: ${params.items.length} items, ${pending} with work; estimate ${formatCount(estimate.total.tokens)} tokens, ${formatCost(estimate.total.cost_usd)}`,
    },
    ...(check.warning === undefined ? [] : [{ at: now, sweep: sweep.id, what: `budget: ${check.warning}` }]),
  ];
  const next: SweepState = withEvents(
    { ...state, current: sweep, past: kept, past_trimmed: state.past_trimmed + past.length - kept.length },
    ...events,
  );
  return {
    ok: true,
    state: next,
    estimate,
    ...(check.warning === undefined ? {} : { warning: check.warning }),
  };
}

/** The new sweep, each item placed where its run stands; retries asked for and not yet made are kept. */
function newSweep(
  workflow: Workflow,
  params: StartSweepParams,
  asked: Readonly<Record<string, string>> | undefined,
): Sweep {
  const stages: Record<string, StageQueue> = {};
  const completed: number[] = [];
  const queue = (id: string): StageQueue => {
    stages[id] ??= emptyStageQueue();
    return stages[id];
  };
  for (const item of [...params.items].sort((a, b) => a.number - b.number)) {
    const place = placeItem(workflow, item);
    if (place.list === 'completed') completed.push(item.number);
    else if (place.list === 'skipped')
      queue(place.stage).skipped.push({ item: item.number, reason: place.reason });
    else queue(place.stage)[place.list].push(item.number);
  }
  const pending = new Set(Object.values(stages).flatMap((q) => q.pending));
  const retries = Object.entries(asked ?? {}).filter(([item]) => pending.has(Number(item)));
  return {
    id: params.id,
    ...(params.definition === undefined ? {} : { definition: params.definition }),
    trigger: params.trigger,
    actor: params.actor,
    ...(params.run_url === undefined ? {} : { run_url: params.run_url }),
    status: 'running',
    started_at: params.now,
    updated_at: params.now,
    selected: params.items.length,
    stages,
    completed,
    ...(retries.length === 0 ? {} : { retries: Object.fromEntries(retries) }),
    spend: { tokens: 0, cost_usd: 0 },
    items: {},
  };
}

function busyMessage(current: Sweep): string {
  const since = formatTime(current.updated_at);
  if (current.status === 'paused') {
    return `sweep ${current.id} is paused (${current.reason ?? 'paused'}, ${since}); /resume on the dashboard goes on with it`;
  }
  return `sweep ${current.id} is still ${current.status} (started ${formatTime(current.started_at)})`;
}

function checkParams(state: SweepState, params: StartSweepParams): void {
  if (typeof params.id !== 'string' || params.id.trim() === '') {
    throw new SweepInputError('a sweep needs a non-empty id');
  }
  if (state.current?.id === params.id || state.past.some((row) => row.id === params.id)) {
    throw new SweepInputError(`sweep id ${params.id} was used before: each sweep needs a new id`);
  }
  if (!holdsLease(state, params.holder, params.now)) {
    throw new SweepInputError(
      `${params.holder} does not hold the sweep lease: take it with acquireLease before starting a sweep`,
    );
  }
  if (params.items.length > MAX_SWEEP_ITEMS) {
    throw new SweepInputError(
      `a sweep covers at most ${MAX_SWEEP_ITEMS} items, not ${params.items.length}: select them with selectItems`,
    );
  }
  const seen = new Set<number>();
  for (const item of params.items) {
    if (!Number.isSafeInteger(item.number) || item.number < 1) {
      throw new SweepInputError(`item number ${JSON.stringify(item.number)} is not a positive integer`);
    }
    if (seen.has(item.number)) throw new SweepInputError(`item #${item.number} is listed twice`);
    seen.add(item.number);
  }
}
