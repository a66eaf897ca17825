import type { PastSweep, Sweep } from './sweep-state.ts';

/** How many distinct items each part of a sweep holds. */
export interface SweepCounts {
  selected: number;
  completed: number;
  waiting: number;
  failed: number;
  skipped: number;
  /** Pending or started at some stage. */
  in_progress: number;
}

export function sweepCounts(sweep: Sweep): SweepCounts {
  const waiting = new Set<number>();
  const failed = new Set<number>();
  const skipped = new Set<number>();
  const inProgress = new Set<number>();
  for (const queue of Object.values(sweep.stages)) {
    for (const item of queue.waiting) waiting.add(item);
    for (const f of queue.failed) failed.add(f.item);
    for (const s of queue.skipped) skipped.add(s.item);
    for (const item of [...queue.pending, ...queue.started]) inProgress.add(item);
  }
  return {
    selected: sweep.selected,
    completed: sweep.completed.length,
    waiting: waiting.size,
    failed: failed.size,
    skipped: skipped.size,
    in_progress: inProgress.size,
  };
}

/** The sweep as one row of the past sweeps table. */
export function summarizeSweep(sweep: Sweep): PastSweep {
  const counts = sweepCounts(sweep);
  return {
    id: sweep.id,
    trigger: sweep.trigger,
    actor: sweep.actor,
    status: sweep.status,
    ...(sweep.reason === undefined ? {} : { reason: sweep.reason }),
    started_at: sweep.started_at,
    ...(sweep.finished_at === undefined ? {} : { finished_at: sweep.finished_at }),
    ...(sweep.run_url === undefined ? {} : { run_url: sweep.run_url }),
    ...(sweep.runs === undefined ? {} : { runs: sweep.runs }),
    selected: counts.selected,
    completed: counts.completed,
    waiting: counts.waiting,
    failed: counts.failed,
    skipped: counts.skipped,
    spend: sweep.spend,
  };
}
