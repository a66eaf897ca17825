import type { Stage, Workflow } from '../workflow.ts';
import { remainingQueues } from './estimate-sweep.ts';
import { type StageRole, stageRole } from './stage-roles.ts';
import type { Spend, StageAverage, Sweep } from './sweep-state.ts';
import { secondsBetween } from './sweep-time.ts';

/** One row of the dashboard's stage table. */
export interface StageProgress {
  id: string;
  name: string;
  /** Undefined for a stage the sweep holds items at but the workflow no longer has. */
  role: StageRole | undefined;
  /** A system stage: its actions run within the step of the stage before it (see `ItemResult.via`). */
  system: boolean;
  /** Items that reached the stage in this sweep. */
  queue: number;
  /** Items the stage is through with: done, waiting for a person, failed or skipped. */
  processed: number;
  /** Items that still need the stage, counting those at earlier stages that will come (see `remainingQueues`). */
  remaining: number;
  pending: number;
  done: number;
  waiting: number;
  failed: number;
  skipped: number;
  /** Items in the batch in flight. */
  current: number[];
  /** The item of the batch the shell works on now, when it said so (`setCurrentItem`). */
  working?: number;
  /** Seconds spent working on the stage (pauses excluded); undefined before its first batch. */
  elapsed_seconds?: number;
  /** remaining × seconds per item; undefined when nothing remains, or when there is no average yet. */
  eta_seconds?: number;
  spend: Spend;
}

export interface SweepProgress {
  stages: StageProgress[];
  processed: number;
  remaining: number;
  /** 0-100, floor. */
  percent: number;
  /** Undefined when nothing remains or some stage with remaining items has no average yet. */
  eta_seconds?: number;
  /** Seconds since the sweep started (to its end, once ended). */
  elapsed_seconds: number;
}

/** The numbers the dashboard shows for a sweep, per stage and over all, at `now`. */
export function sweepProgress(
  workflow: Workflow,
  sweep: Sweep,
  averages: Readonly<Record<string, StageAverage>>,
  now: string,
): SweepProgress {
  const remaining = remainingQueues(workflow, sweep);
  const ids = [
    ...workflow.stages.filter((s) => s.type !== 'terminal').map((s) => s.id),
    ...Object.keys(sweep.stages).filter((id) => !workflow.stages.some((s) => s.id === id)),
  ];
  const stages: StageProgress[] = [];
  for (const id of ids) {
    const stage = workflow.stages.find((s) => s.id === id);
    const queue = sweep.stages[id];
    const role = stage === undefined ? undefined : stageRole(stage);
    if (queue === undefined && (role === undefined || role === 'human')) continue;
    const row = stageRow(id, stage, role, queue, remaining[id] ?? 0, averages[id], now);
    const working = sweep.current?.stage === id ? sweep.current.item : undefined;
    stages.push(working !== undefined && row.current.includes(working) ? { ...row, working } : row);
  }
  const processed = stages.reduce((n, s) => n + s.processed, 0);
  const left = stages.reduce((n, s) => n + s.remaining, 0);
  const unknown = stages.some((s) => s.remaining > 0 && s.eta_seconds === undefined);
  const eta = stages.reduce((n, s) => n + (s.eta_seconds ?? 0), 0);
  const total = processed + left;
  return {
    stages,
    processed,
    remaining: left,
    percent: total === 0 ? 100 : Math.floor((processed / total) * 100),
    ...(left === 0 || unknown ? {} : { eta_seconds: eta }),
    elapsed_seconds: secondsBetween(sweep.started_at, sweep.finished_at ?? now),
  };
}

function stageRow(
  id: string,
  stage: Stage | undefined,
  role: StageRole | undefined,
  queue: Sweep['stages'][string] | undefined,
  remaining: number,
  average: StageAverage | undefined,
  now: string,
): StageProgress {
  const count = {
    pending: (queue?.pending.length ?? 0) + (queue?.started.length ?? 0),
    done: queue?.done.length ?? 0,
    waiting: queue?.waiting.length ?? 0,
    failed: queue?.failed.length ?? 0,
    skipped: queue?.skipped.length ?? 0,
  };
  const processed = count.done + count.waiting + count.failed + count.skipped;
  const inFlight = queue !== undefined && queue.started.length > 0 && queue.clock_at !== undefined;
  const elapsed =
    queue?.started_at === undefined
      ? undefined
      : (queue.seconds ?? 0) + (inFlight ? secondsBetween(queue.clock_at as string, now) : 0);
  const runs = role === 'automatic' || role === 'human-gate';
  // A system stage's actions run within the step of the stage before it: it takes no time of its own.
  const perItem = stage?.mode === 'system' && role === 'automatic' ? 0 : average?.seconds;
  return {
    id,
    name: stage?.name ?? id,
    role,
    system: stage?.mode === 'system',
    queue: count.pending + processed,
    processed,
    remaining: runs ? remaining : 0,
    ...count,
    current: [...(queue?.started ?? [])],
    ...(elapsed === undefined ? {} : { elapsed_seconds: elapsed }),
    ...(runs && remaining > 0 && perItem !== undefined ? { eta_seconds: remaining * perItem } : {}),
    spend: queue?.spend ?? { tokens: 0, cost_usd: 0 },
  };
}
