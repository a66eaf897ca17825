import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import type { IssueComment } from '../github/types.ts';
import { readOutputText } from './read-output-text.ts';
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
): Record<string, unknown> {
  const outputs: Record<string, string> = {};
  for (const [id, record] of Object.entries(state.stages)) {
    const output = record.output;
    if (output?.pointer.comment_id === undefined) continue;
    const read = readOutputText(comments, output.pointer, `the output of "${id}"`);
    if (!read.ok) throw new Error(read.error);
    if (output.pointer.pull_number === undefined && read.sha256 !== output.sha256) {
      throw new Error(
        `the output of "${id}" was edited after the run accepted it, so {{ outputs.${id} }} cannot be used; restore its text from the comment's edit history`,
      );
    }
    outputs[id] = read.text;
  }
  return {
    subject: { title: subject.title, number: subject.number, author: subject.author, labels: subject.labels },
    workflow: { name: workflow.name, description: workflow.description ?? '' },
    run: { id: state.id },
    stage: { id: stage },
    outputs,
  };
}
