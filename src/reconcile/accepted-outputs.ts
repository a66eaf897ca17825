import type { RunState } from '../core/state/run-state.ts';
import type { IssueComment } from '../github/types.ts';
import { readOutputText } from './read-output-text.ts';

/**
 * The latest output text of every stage that has one in a comment, by stage id: what `{{ outputs.<id> }}` shows,
 * in prompts and in system actions alike. A text output must still be the text that was accepted (its sha256 is
 * the one the state recorded, which follows edits the run has seen); an output changed behind the run's back is
 * refused, with why. A code output's text is its response comment (which links the pull request). Pure.
 */
export function acceptedOutputs(
  state: RunState,
  comments: readonly IssueComment[],
): { ok: true; outputs: Record<string, string> } | { ok: false; error: string } {
  const outputs: Record<string, string> = {};
  for (const [id, record] of Object.entries(state.stages)) {
    const output = record.output;
    if (output?.pointer.comment_id === undefined) continue;
    const read = readOutputText(comments, output.pointer, `the output of "${id}"`);
    if (!read.ok) return { ok: false, error: read.error };
    if (output.pointer.pull_number === undefined && read.sha256 !== output.sha256) {
      return {
        ok: false,
        error: `the output of "${id}" was edited after the run accepted it (its text no longer has sha256 ${output.sha256.slice(0, 12)}); restore the text from the comment's edit history, then /retry`,
      };
    }
    outputs[id] = read.text;
  }
  return { ok: true, outputs };
}
