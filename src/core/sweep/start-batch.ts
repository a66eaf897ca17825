import type { Workflow } from '../workflow.ts';
import type { Work } from './next-work.ts';
import { SweepInputError } from './sweep-error.ts';
import { withEvents } from './sweep-events.ts';
import type { StageQueue, SweepState } from './sweep-state.ts';
import { timeOf } from './sweep-time.ts';

/**
 * Marks a batch from `nextWork` as handed to the shell: its items move from pending to started, the stage's
 * clock starts, and the first item becomes the current one. The shell writes this state before it works, so
 * that a shell that dies mid-batch leaves the items started, and the next shell takes them up again.
 */
export function startBatch(
  workflow: Workflow,
  state: SweepState,
  work: Extract<Work, { kind: 'batch' }>,
  now: string,
): SweepState {
  timeOf(now, 'now');
  const sweep = state.current;
  if (sweep === undefined) throw new SweepInputError('there is no sweep to start a batch in');
  if (sweep.status !== 'running') {
    throw new SweepInputError(`sweep ${sweep.id} is ${sweep.status}: only a running sweep starts batches`);
  }
  if (!workflow.stages.some((s) => s.id === work.stage)) {
    throw new SweepInputError(`the workflow has no stage "${work.stage}"`);
  }
  const queue = sweep.stages[work.stage];
  const waiting = new Set([...(queue?.pending ?? []), ...(queue?.started ?? [])]);
  const stray = work.items.filter((item) => !waiting.has(item));
  if (queue === undefined || stray.length > 0 || work.items.length === 0) {
    throw new SweepInputError(
      `a batch of "${work.stage}" may only hold items pending or started there; ${stray.length > 0 ? stray.map((n) => `#${n}`).join(', ') : 'the batch is empty'}`,
    );
  }
  const starting = new Set(work.items);
  const next: StageQueue = {
    ...queue,
    pending: queue.pending.filter((item) => !starting.has(item)),
    started: [...queue.started, ...work.items.filter((item) => !queue.started.includes(item))],
    started_at: queue.started_at ?? now,
    clock_at: now,
    batches: queue.batches + 1,
  };
  delete next.finished_at;
  const [first] = work.items;
  const list = work.items.map((n) => `#${n}`).join(', ');
  const resumed =
    work.resumed.length > 0 ? ` (taken up again: ${work.resumed.map((n) => `#${n}`).join(', ')})` : '';
  return withEvents(
    {
      ...state,
      current: {
        ...sweep,
        stages: { ...sweep.stages, [work.stage]: next },
        ...(first === undefined ? {} : { current: { stage: work.stage, item: first } }),
        updated_at: now,
      },
    },
    { at: now, sweep: sweep.id, stage: work.stage, what: `batch ${next.batches} started: ${list}${resumed}` },
  );
}

/** Records which item of the batch the shell is working on now, for the dashboard. */
export function setCurrentItem(state: SweepState, stage: string, item: number, now: string): SweepState {
  timeOf(now, 'now');
  const sweep = state.current;
  if (sweep?.stages[stage]?.started.includes(item) !== true) {
    throw new SweepInputError(`#${item} is not started at stage "${stage}": it cannot be the current item`);
  }
  return { ...state, current: { ...sweep, current: { stage, item }, updated_at: now } };
}
