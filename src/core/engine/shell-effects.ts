import type { RunState } from '../state/run-state.ts';
import type { Workflow } from '../workflow.ts';
import type { Effect } from './effects.ts';

/**
 * The effects every changed run needs, derived from its final state: the status comment, the labels that show
 * the stage (and the awaiting-approval label while a person is needed), and the check run's status.
 */
export function shellEffects(workflow: Workflow, state: RunState): Effect[] {
  const all = new Set([...workflow.stages.flatMap((s) => s.labels), workflow.labels.awaiting_approval]);
  const stage = workflow.stages.find((s) => s.id === state.stage);
  const wanted = new Set<string>();
  if (state.status !== 'cancelled') for (const label of stage?.labels ?? []) wanted.add(label);
  if (state.status === 'awaiting_approval') wanted.add(workflow.labels.awaiting_approval);
  const labels: Effect = {
    type: 'labels.set',
    add: [...wanted],
    remove: [...all].filter((label) => !wanted.has(label)),
  };
  const check: Effect =
    state.status === 'completed'
      ? { type: 'check.update', status: 'completed', conclusion: 'success' }
      : state.status === 'cancelled'
        ? { type: 'check.update', status: 'completed', conclusion: 'cancelled' }
        : state.status === 'failed'
          ? { type: 'check.update', status: 'completed', conclusion: 'failure' }
          : { type: 'check.update', status: 'in_progress' };
  return [{ type: 'status.update' }, labels, check];
}
