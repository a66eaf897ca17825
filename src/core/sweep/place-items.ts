import type { RunStatus } from '../state/run-state.ts';
import { stageById, type Workflow } from '../workflow.ts';
import { entryStage, stageRole } from './stage-roles.ts';

/** A selected item, with what its status comment says of its run of this workflow, if it has one. */
export interface SweepItem {
  number: number;
  run?: { stage: string; status: RunStatus };
}

/** Where a new sweep puts an item. */
export type Placement =
  | { list: 'pending'; stage: string }
  | { list: 'waiting'; stage: string }
  | { list: 'completed' }
  | { list: 'skipped'; stage: string; reason: string };

/**
 * Where a new sweep starts an item, from its run of the workflow (state lives on GitHub: a sweep never redoes
 * what an item's run has done, whichever sweep or person did it):
 * - no run: pending at the entry stage;
 * - a run that completed, or whose stage is terminal: completed, nothing to do;
 * - a run that was cancelled, or paused by a person: skipped, with the reason;
 * - a run at a stage the workflow no longer has: skipped;
 * - a run at a stage a person does (`mode: manual`), or awaiting approval at a person's gate: waiting there;
 * - otherwise (running, failed, or awaiting an AI approver): pending at its stage, so the sweep goes on from
 *   there (a failed run goes on only with a person's `/retry`: see `Sweep.retries`).
 */
export function placeItem(workflow: Workflow, item: SweepItem): Placement {
  const { run } = item;
  const entry = entryStage(workflow).id;
  if (run === undefined) return { list: 'pending', stage: entry };
  if (run.status === 'completed') return { list: 'completed' };
  const stage = stageById(workflow, run.stage);
  if (stage === undefined) {
    return {
      list: 'skipped',
      stage: entry,
      reason: `its run is at stage "${run.stage}", which the workflow no longer has`,
    };
  }
  if (run.status === 'cancelled')
    return { list: 'skipped', stage: stage.id, reason: 'its run was cancelled' };
  if (run.status === 'paused') {
    return { list: 'skipped', stage: stage.id, reason: 'its run is paused (/resume on the item goes on)' };
  }
  const role = stageRole(stage);
  if (role === 'terminal') return { list: 'completed' };
  if (role === 'human') return { list: 'waiting', stage: stage.id };
  if (role === 'human-gate' && run.status === 'awaiting_approval')
    return { list: 'waiting', stage: stage.id };
  return { list: 'pending', stage: stage.id };
}
