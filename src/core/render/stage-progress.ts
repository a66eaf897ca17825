import type { RunState } from '../state/run-state.ts';
import { exitsOf, stageById, type Workflow } from '../workflow.ts';

/**
 * Where a stage stands in a run: `done` (visited and left, or the end of a completed run), `current`,
 * `waiting` (not visited yet, still reachable), `skipped` (not visited, and the run went past it or ended
 * without it) or `not_reached` (not visited in a cancelled run).
 */
export type StageProgress = 'done' | 'current' | 'waiting' | 'skipped' | 'not_reached';

/** The progress of every stage of the workflow, by stage id. */
export function stageProgress(workflow: Workflow, state: RunState): Map<string, StageProgress> {
  const reachable = reachableFrom(workflow, state.stage);
  const progress = new Map<string, StageProgress>();
  for (const stage of workflow.stages) {
    const visited = (state.stages[stage.id]?.visits ?? 0) > 0;
    if (stage.id === state.stage) progress.set(stage.id, state.status === 'completed' ? 'done' : 'current');
    else if (visited) progress.set(stage.id, 'done');
    else if (state.status === 'cancelled') progress.set(stage.id, 'not_reached');
    else if (state.status !== 'completed' && reachable.has(stage.id)) progress.set(stage.id, 'waiting');
    else progress.set(stage.id, 'skipped');
  }
  return progress;
}

/** The stages a run in `start` may still visit (not counting `start` itself unless a loop leads back). */
function reachableFrom(workflow: Workflow, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const stage = stageById(workflow, id);
    if (stage === undefined) continue;
    for (const next of exitsOf(stage)) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}
