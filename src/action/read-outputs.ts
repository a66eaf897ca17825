import type { RunState } from '../core/state/run-state.ts';
import type { IssueComment } from '../github/types.ts';
import { readOutputText } from '../reconcile/read-output-text.ts';
import { ActionError } from './action-error.ts';

/**
 * The latest output text of every stage that has one in a comment, by stage id: what `{{ outputs.<id> }}`
 * shows. A text output must still be the text that was accepted (its sha256 is the one the state recorded,
 * which follows edits the app has seen); an output changed behind the run's back is refused. A code output's
 * text is its response comment (which links the pull request). Pure.
 */
export function readOutputs(state: RunState, comments: readonly IssueComment[]): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [id, record] of Object.entries(state.stages)) {
    const output = record.output;
    if (output?.pointer.comment_id === undefined) continue;
    const read = readOutputText(comments, output.pointer, `the output of "${id}"`);
    if (!read.ok) throw new ActionError(read.error);
    if (output.pointer.pull_number === undefined && read.sha256 !== output.sha256) {
      throw new ActionError(
        `the output of "${id}" was edited after the run accepted it (its text no longer has sha256 ${output.sha256.slice(0, 12)}); restore the text from the comment's edit history, then /retry`,
      );
    }
    outputs[id] = read.text;
  }
  return outputs;
}
