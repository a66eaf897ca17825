import { type Stage, stageById, type Workflow } from '../workflow.ts';
import { roundUsd } from './spend.ts';
import { projectedPath } from './stage-roles.ts';
import type { Spend, StageAverage, Sweep } from './sweep-state.ts';

/** Items that still need each stage's work, per stage id. */
export type StageQueues = Readonly<Record<string, number>>;

/** Where a stage's numbers come from: averages of earlier work, the stage's declared `estimate`, or nothing. */
export type EstimateBasis = 'history' | 'estimate' | 'none';

export interface StageEstimate {
  stage: string;
  items: number;
  tokens: number;
  cost_usd: number;
  basis: EstimateBasis;
  /** Seconds per item, from history only (declared estimates say nothing of time). */
  seconds_per_item?: number;
}

export interface SweepEstimate {
  /** In workflow order; only stages with items. */
  stages: StageEstimate[];
  total: Spend;
  /** Stages with items whose tokens or cost nothing predicts, so the total leaves them out. */
  unknown: { stage: string; missing: 'usage' | 'cost' }[];
}

/**
 * What the remaining work will use: per stage, items × the stage's average per item from earlier work (this
 * sweep's and past sweeps'), or, while a stage has no history, items × its declared `estimate`. A stage with
 * neither counts as nothing and is listed in `unknown`, as is a declared estimate without `cost_usd`. A system
 * stage (without an AI approver) calls no model: it counts as nothing, and is never unknown.
 */
export function estimateSweep(
  workflow: Workflow,
  queues: StageQueues,
  averages: Readonly<Record<string, StageAverage>>,
): SweepEstimate {
  const stages: StageEstimate[] = [];
  const unknown: SweepEstimate['unknown'] = [];
  for (const stage of workflow.stages) {
    const items = queues[stage.id] ?? 0;
    if (items <= 0) continue;
    const estimate = stageEstimate(stage, items, averages[stage.id]);
    stages.push(estimate);
    if (estimate.basis === 'none') unknown.push({ stage: stage.id, missing: 'usage' });
    else if (
      estimate.basis === 'estimate' &&
      stage.mode !== 'system' &&
      stage.estimate?.cost_usd === undefined
    ) {
      unknown.push({ stage: stage.id, missing: 'cost' });
    }
  }
  const total = stages.reduce(
    (sum, s) => ({ tokens: sum.tokens + s.tokens, cost_usd: roundUsd(sum.cost_usd + s.cost_usd) }),
    { tokens: 0, cost_usd: 0 },
  );
  return { stages, total, unknown };
}

/**
 * The items that still need each stage's work: every item pending or started at a stage needs that stage and
 * the stages after it along the workflow's forward path (see `projectedPath`), up to a person's gate.
 */
export function remainingQueues(workflow: Workflow, sweep: Sweep): Record<string, number> {
  const queues: Record<string, number> = {};
  for (const [id, queue] of Object.entries(sweep.stages)) {
    const count = queue.pending.length + queue.started.length;
    const stage = stageById(workflow, id);
    if (count === 0 || stage === undefined) continue;
    for (const s of projectedPath(workflow, stage)) queues[s.id] = (queues[s.id] ?? 0) + count;
  }
  return queues;
}

function stageEstimate(stage: Stage, items: number, average: StageAverage | undefined): StageEstimate {
  // A system stage calls no model: its actions cost nothing but requests, whatever it declares.
  if (stage.mode === 'system' && !stage.gate.approver.startsWith('ai:')) {
    return { stage: stage.id, items, tokens: 0, cost_usd: 0, basis: 'estimate' };
  }
  if (average !== undefined) {
    return {
      stage: stage.id,
      items,
      tokens: Math.round(average.tokens * items),
      cost_usd: roundUsd(average.cost_usd * items),
      basis: 'history',
      seconds_per_item: average.seconds,
    };
  }
  if (stage.estimate !== undefined) {
    return {
      stage: stage.id,
      items,
      tokens: stage.estimate.tokens * items,
      cost_usd: roundUsd((stage.estimate.cost_usd ?? 0) * items),
      basis: 'estimate',
    };
  }
  return { stage: stage.id, items, tokens: 0, cost_usd: 0, basis: 'none' };
}
