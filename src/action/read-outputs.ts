import type { RunState } from '../core/state/run-state.ts';
import type { IssueComment } from '../github/types.ts';
import { acceptedOutputs } from '../reconcile/accepted-outputs.ts';
import { ActionError } from './action-error.ts';

/** The accepted output texts of the run's stages (`acceptedOutputs`); one changed behind the run's back fails. */
export function readOutputs(state: RunState, comments: readonly IssueComment[]): Record<string, string> {
  const read = acceptedOutputs(state, comments);
  if (!read.ok) throw new ActionError(read.error);
  return read.outputs;
}
