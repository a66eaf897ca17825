import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import type { IssueComment } from '../github/types.ts';
import { acceptedOutputs } from './accepted-outputs.ts';
import type { SystemActionContext } from './inert-comment-context.ts';
import type { SubjectEvent } from './subject-event.ts';

/**
 * The template context of a system action's `comment` and `dispatch.inputs`: the subject, the workflow, the run,
 * the stage, and `outputs.<stage id>` (the accepted text of each stage's latest output in a comment). An output
 * edited after the run accepted it is refused, as the Action refuses it. Pure.
 */
export function systemActionContext(
  workflow: Workflow,
  state: RunState,
  stage: string,
  subject: SubjectEvent,
  comments: readonly IssueComment[],
): SystemActionContext {
  const read = acceptedOutputs(state, comments);
  if (!read.ok) throw new Error(read.error);
  const outputs = read.outputs;
  return {
    subject: { title: subject.title, number: subject.number, author: subject.author, labels: subject.labels },
    workflow: { name: workflow.name, description: workflow.description ?? '' },
    run: { id: state.id },
    stage: { id: stage },
    outputs,
  };
}
