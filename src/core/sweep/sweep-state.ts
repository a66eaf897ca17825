import { z } from 'zod';

/**
 * The state of a workflow's scheduled sweeps, kept in a signed hidden block at the end of its dashboard issue
 * (see encode-sweep-state.ts): the current (latest) sweep with its per-stage queues, the lease that makes one
 * sweep run at a time, summaries of past sweeps, the last events, and per-stage averages learned from the
 * work done so far. Item numbers are issue or pull request numbers.
 */

/** The version of the sweep state block this code writes. */
export const SWEEP_STATE_VERSION = 1;

export const SWEEP_STATUSES = [
  'running',
  'paused',
  'stopping',
  'completed',
  'failed',
  'budget_stopped',
] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

/**
 * A sweep in one of these has ended: a new sweep may replace it. `failed` and `budget_stopped` can also be
 * resumed with `/resume` as long as no new sweep has replaced them.
 */
export const ENDED_STATUSES: readonly SweepStatus[] = ['completed', 'failed', 'budget_stopped'];

/** How many events the state keeps; older ones are dropped and counted in `events_trimmed`. */
export const EVENTS_KEPT = 50;

/** How many Actions runs a sweep remembers (the newest); see `Sweep.runs`. */
export const RUNS_KEPT = 10;

/** One minute, and one hour: the windows of GitHub's limits on content creation. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

const Time = z.string().min(1);
const ItemNumber = z.number().int().positive();

/** Tokens (input and output together) and US dollars. */
export const SpendSchema = z.strictObject({
  tokens: z.number().int().min(0),
  cost_usd: z.number().min(0),
});

/** Where each item of the sweep stands at one stage. An item is in at most one list of a stage. */
export const StageQueueSchema = z.strictObject({
  /** Waiting for this stage's work, in the order they will be taken. */
  pending: z.array(ItemNumber),
  /**
   * Handed to the shell in a batch whose results are not recorded yet. After a crash they are still here, and
   * the next batch takes them again first.
   */
  started: z.array(ItemNumber),
  /** The stage's work is done and its gate passed; the item moved on. */
  done: z.array(ItemNumber),
  /** Waiting for a person: the stage's gate waits for an approval, or the stage is one a person does. */
  waiting: z.array(ItemNumber),
  failed: z.array(z.strictObject({ item: ItemNumber, reason: z.string(), at: Time })),
  /** Left alone, with the reason (its run was cancelled, the item was closed...). */
  skipped: z.array(z.strictObject({ item: ItemNumber, reason: z.string() })),
  /** When the first batch of this stage started. */
  started_at: Time.optional(),
  /** When the stage last ran out of pending and started items; cleared when items arrive again. */
  finished_at: Time.optional(),
  /** When work at this stage last started or was recorded: results are timed from here. */
  clock_at: Time.optional(),
  batches: z.number().int().min(0),
  /** Seconds spent on this stage's batches. */
  seconds: z.number().min(0),
  spend: SpendSchema,
});

export const TRIGGERS = ['cron', 'run-now'] as const;
export type SweepTrigger = (typeof TRIGGERS)[number];

/** The budget a sweep started with, and the estimate it was checked against. */
export const SweepBudgetRecordSchema = z.strictObject({
  max_tokens: z.number().int().positive().optional(),
  max_cost_usd: z.number().positive().optional(),
  estimate: SpendSchema,
});

export const SweepSchema = z.strictObject({
  id: z.string().min(1),
  /** The blob sha of the workflow file the sweep started with, when the shell knows it. */
  definition: z.string().optional(),
  trigger: z.enum(TRIGGERS),
  /** Who started it: `schedule` for cron, else the login that asked for the run. */
  actor: z.string(),
  /** The Actions run that started the sweep. */
  run_url: z.string().optional(),
  /**
   * The Actions runs that worked on the sweep (ran a batch of it), oldest first, the newest `RUNS_KEPT` at most:
   * their pages hold the jobs' logs and summaries. A sweep goes on across runs after a crash or a `/resume`.
   */
  runs: z.array(z.string()).max(RUNS_KEPT).optional(),
  status: z.enum(SWEEP_STATUSES),
  /** Why the sweep is paused, stopping, failed or stopped by its budget. */
  reason: z.string().optional(),
  started_at: Time,
  updated_at: Time,
  /** When the sweep ended (completed, failed, budget_stopped); cleared by /resume. */
  finished_at: Time.optional(),
  /** How many items were selected. */
  selected: z.number().int().min(0),
  budget: SweepBudgetRecordSchema.optional(),
  /** Per stage id, in no particular order (the workflow gives the order). */
  stages: z.record(z.string(), StageQueueSchema),
  /** Items whose run reached a terminal stage. */
  completed: z.array(ItemNumber),
  /** The item the shell says it is working on now, if it says so. */
  current: z.strictObject({ stage: z.string(), item: ItemNumber }).optional(),
  spend: SpendSchema,
  /**
   * Items whose failed run a person asked to try again (`/retry failed`, `/resume` of a failed sweep), with the
   * login that asked: the shell advances each with a re-run request in that person's name (the item's run
   * applies it as that person's `/retry`). Cleared when the item's result at its stage is recorded.
   */
  retries: z.record(z.string().regex(/^[1-9]\d*$/), z.string()).optional(),
  /** The end (`<sweep id> <status> <finished_at>`) whose notice was posted on the dashboard (see `sweepNotice`). */
  notified: z.string().optional(),
  /** Per item number: `[tokens, cost_usd]` over every stage of this sweep. */
  items: z.record(z.string().regex(/^[1-9]\d*$/), z.tuple([z.number().int().min(0), z.number().min(0)])),
});

/** One row of the past sweeps table. */
export const PastSweepSchema = z.strictObject({
  id: z.string().min(1),
  trigger: z.enum(TRIGGERS),
  actor: z.string(),
  status: z.enum(SWEEP_STATUSES),
  reason: z.string().optional(),
  started_at: Time,
  finished_at: Time.optional(),
  run_url: z.string().optional(),
  /** The Actions runs that worked on the sweep, as in the sweep. */
  runs: z.array(z.string()).max(RUNS_KEPT).optional(),
  selected: z.number().int().min(0),
  /** Items that reached a terminal stage. */
  completed: z.number().int().min(0),
  /** Items left waiting for a person. */
  waiting: z.number().int().min(0),
  /** Items that failed at some stage. */
  failed: z.number().int().min(0),
  skipped: z.number().int().min(0),
  spend: SpendSchema,
});

/** The lease of the one shell (an Actions run) allowed to work on the sweep and write this state. */
export const LeaseSchema = z.strictObject({
  holder: z.string().min(1),
  run_url: z.string().optional(),
  acquired_at: Time,
  expires_at: Time,
});

/** One line of the activity log. */
export const SweepEventSchema = z.strictObject({
  at: Time,
  /** The sweep it belongs to, if any. */
  sweep: z.string().optional(),
  stage: z.string().optional(),
  item: ItemNumber.optional(),
  actor: z.string().optional(),
  what: z.string(),
});

/** Per item, from the work done so far: a moving average over the last `AVERAGE_WINDOW` items at most. */
export const StageAverageSchema = z.strictObject({
  /** How many items the average covers (capped at the window). */
  samples: z.number().int().min(1),
  tokens: z.number().min(0),
  cost_usd: z.number().min(0),
  seconds: z.number().min(0),
});

/**
 * The content-creating requests the shells made in the last hour, compacted to counts per minute, so that the next
 * job goes on pacing where this one stopped (GitHub's limits hold across jobs). See `paceRecord`.
 */
export const PaceRecordSchema = z.strictObject({
  /** The start of the minute `counts[0]` covers (a whole UTC minute). */
  since: Time,
  /**
   * Requests per minute from `since`, one entry per minute (0 for a minute without any). The first and the last
   * entries are not 0; there are at most 61 (the hour before the last request touches 61 minutes).
   */
  counts: z
    .array(z.number().int().min(0))
    .min(1)
    .max(HOUR_MS / MINUTE_MS + 1),
  /** When the last request went out (for the least gap between two requests). */
  last: Time,
});

/** Who paused a stage with `/pause <stage>`, when, and why. */
export const StagePauseSchema = z.strictObject({
  by: z.string(),
  at: Time,
  note: z.string().optional(),
});

export const SweepStateSchema = z.strictObject({
  v: z.literal(SWEEP_STATE_VERSION),
  workflow: z.string().min(1),
  current: SweepSchema.optional(),
  lease: LeaseSchema.optional(),
  /** Newest last. */
  past: z.array(PastSweepSchema),
  /** How many past sweeps were dropped (retention, or to keep the block small). */
  past_trimmed: z.number().int().min(0),
  /** The newest `EVENTS_KEPT` events, newest last. */
  events: z.array(SweepEventSchema),
  events_trimmed: z.number().int().min(0),
  averages: z.record(z.string(), StageAverageSchema),
  /** Dashboard comments with ids up to this one have been applied. */
  cursor: z.number().int().min(0),
  /** Bumped on every write; a writer that finds another rev re-reads and re-applies. */
  rev: z.number().int().min(0),
  /** The recent content-creating requests, for pacing across jobs (written by the shell). */
  pace: PaceRecordSchema.optional(),
  /**
   * Stages paused with `/pause <stage>`, by stage id: no sweep (this one or the next) starts a batch there until
   * `/resume <stage>`. The other stages go on.
   */
  paused_stages: z.record(z.string(), StagePauseSchema).optional(),
});

export type Spend = z.output<typeof SpendSchema>;
export type StageQueue = z.output<typeof StageQueueSchema>;
export type Sweep = z.output<typeof SweepSchema>;
export type PastSweep = z.output<typeof PastSweepSchema>;
export type Lease = z.output<typeof LeaseSchema>;
export type SweepEvent = z.output<typeof SweepEventSchema>;
export type StageAverage = z.output<typeof StageAverageSchema>;
export type SweepState = z.output<typeof SweepStateSchema>;
export type PaceRecord = z.output<typeof PaceRecordSchema>;
export type StagePause = z.output<typeof StagePauseSchema>;

/** The state of a workflow that has never swept: what a new dashboard starts with. */
export function emptySweepState(workflow: string): SweepState {
  return {
    v: SWEEP_STATE_VERSION,
    workflow,
    past: [],
    past_trimmed: 0,
    events: [],
    events_trimmed: 0,
    averages: {},
    cursor: 0,
    rev: 0,
  };
}

/** A stage queue nobody has touched. */
export function emptyStageQueue(): StageQueue {
  return {
    pending: [],
    started: [],
    done: [],
    waiting: [],
    failed: [],
    skipped: [],
    batches: 0,
    seconds: 0,
    spend: { tokens: 0, cost_usd: 0 },
  };
}
