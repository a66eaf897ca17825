import type { Trigger } from '../schema/trigger.ts';
import type { Workflow } from '../workflow.ts';
import { SweepInputError } from './sweep-error.ts';

export type Schedule = NonNullable<Trigger['schedule']>;
export type Selector = Schedule['select'];
export type SweepBudget = NonNullable<Schedule['budget']>;

/** The workflow's `on.schedule`; a workflow without one cannot sweep, and asking is a bug in the caller. */
export function scheduleOf(workflow: Workflow): Schedule {
  const schedule = workflow.on.schedule;
  if (schedule === undefined) {
    throw new SweepInputError(
      `workflow "${workflow.name}" has no on.schedule: only a workflow with a schedule runs sweeps`,
    );
  }
  return schedule;
}
