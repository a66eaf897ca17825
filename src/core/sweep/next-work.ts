import type { Stage, Workflow } from '../workflow.ts';
import { budgetReached } from './check-budget.ts';
import { scheduleOf } from './schedule-of.ts';
import { sweepRuns } from './stage-roles.ts';
import type { Sweep, SweepState } from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

/** What the shell does next. */
export type Work =
  /**
   * Run `stage` for `items` (see `startBatch`, then `recordResults`). `resumed` are items a shell had started
   * but not finished (it died): their item runs may already hold some of the stage's output.
   */
  | { kind: 'batch'; stage: string; items: number[]; resumed: number[] }
  /** Nothing automatic is left, but items wait for people (a person's gate, or a stage a person does). */
  | { kind: 'wait-human'; waiting: { stage: string; items: number[] }[] }
  /**
   * Nothing automatic is left but work at stages paused with `/pause <stage>` (`held`; items may wait for people
   * too): the sweep ends, and a later one takes the held items up once `/resume <stage>` is given.
   */
  | {
      kind: 'held';
      held: { stage: string; items: number[] }[];
      waiting: { stage: string; items: number[] }[];
    }
  /** Nothing is left (or there is no sweep). */
  | { kind: 'done' }
  /** The sweep is paused (or pausing after its batch): stop; `/resume` goes on. */
  | { kind: 'paused'; reason: string }
  /** The sweep stopped: a failed item under `on_failure: stop`, or its budget. `/resume` goes on. */
  | { kind: 'stopped'; status: 'failed' | 'budget_stopped'; reason: string };

/**
 * What to do next in the current sweep. Pure: it reads the state and changes nothing.
 *
 * A batch takes items that a dead shell had started first, then pending items, at most the stage's `batch_size`
 * (else the sweep's `on.schedule.batch_size`):
 * - `stage-by-stage`: from the first stage, in file order, that has any; so a stage finishes for every item,
 *   batch after batch, before the next stage starts (an item a later stage sends back to an earlier one, in a
 *   loop, is taken up again before going further);
 * - `item-by-item`: the lowest-numbered `batch_size` items that still have work go through every stage before
 *   the next items start (`batch_size` of the sweep); each batch is the stage, in file order, where one or more
 *   of them are, and holds at most that stage's `batch_size` of them.
 * Items already done at a stage are never in a batch again (unless a loop sends them back), so a resumed or
 * re-run sweep never does work twice. A running sweep whose spending reached the budget gets `stopped`. No batch
 * starts at a stage paused with `/pause <stage>` (`state.paused_stages`): its items are `held` there.
 */
export function nextWork(workflow: Workflow, state: SweepState, now: string): Work {
  timeOf(now, 'now');
  const sweep = state.current;
  if (sweep === undefined) return { kind: 'done' };
  const schedule = scheduleOf(workflow);
  switch (sweep.status) {
    case 'paused':
    case 'stopping':
      return { kind: 'paused', reason: sweep.reason ?? 'paused' };
    case 'failed':
    case 'budget_stopped':
      return { kind: 'stopped', status: sweep.status, reason: sweep.reason ?? sweep.status };
    case 'completed':
      return leftover(workflow, state, sweep);
    case 'running': {
      const reached = budgetReached(schedule.budget, sweep.spend);
      if (reached !== undefined) return { kind: 'stopped', status: 'budget_stopped', reason: reached };
      const paused = state.paused_stages ?? {};
      const runnable = workflow.stages.filter((s) => sweepRuns(s) && paused[s.id] === undefined);
      const batch =
        schedule.strategy === 'stage-by-stage'
          ? stageBatch(sweep, runnable, schedule.batch_size)
          : itemBatch(sweep, runnable, schedule.batch_size);
      return batch ?? leftover(workflow, state, sweep);
    }
  }
}

function stageBatch(sweep: Sweep, runnable: Stage[], size: number): Work | undefined {
  for (const stage of runnable) {
    const queue = sweep.stages[stage.id];
    if (queue === undefined) continue;
    const items = [...queue.started, ...queue.pending].slice(0, stage.batch_size ?? size);
    if (items.length > 0) return batch(stage.id, items, queue.started);
  }
  return undefined;
}

function itemBatch(sweep: Sweep, runnable: Stage[], size: number): Work | undefined {
  const at = new Map<number, number>(); // item -> index in `runnable` of the stage it is pending or started at
  runnable.forEach((stage, index) => {
    const queue = sweep.stages[stage.id];
    for (const item of [...(queue?.started ?? []), ...(queue?.pending ?? [])]) at.set(item, index);
  });
  const window = new Set([...at.keys()].sort((a, b) => a - b).slice(0, size));
  const first = Math.min(...[...window].map((item) => at.get(item) ?? Infinity));
  const stage = runnable[first];
  if (stage === undefined) return undefined;
  const queue = sweep.stages[stage.id];
  const items = [...(queue?.started ?? []), ...(queue?.pending ?? [])]
    .filter((item) => window.has(item))
    .slice(0, stage.batch_size ?? size);
  return batch(stage.id, items, queue?.started ?? []);
}

function batch(stage: string, items: number[], started: number[]): Work {
  return { kind: 'batch', stage, items, resumed: items.filter((item) => started.includes(item)) };
}

/** With no automatic work left: the work held at paused stages, and who waits for people, if anyone. */
function leftover(workflow: Workflow, state: SweepState, sweep: Sweep): Work {
  const waiting = workflow.stages
    .map((stage) => ({ stage: stage.id, items: [...(sweep.stages[stage.id]?.waiting ?? [])] }))
    .filter((w) => w.items.length > 0);
  const held = Object.keys(state.paused_stages ?? {})
    .map((stage) => {
      const queue = sweep.stages[stage];
      return { stage, items: [...(queue?.started ?? []), ...(queue?.pending ?? [])] };
    })
    .filter((h) => h.items.length > 0);
  if (held.length > 0) return { kind: 'held', held, waiting };
  return waiting.length > 0 ? { kind: 'wait-human', waiting } : { kind: 'done' };
}
