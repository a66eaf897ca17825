import { renderStatusBody, type StatusParams } from './status-body.ts';

/** GitHub's limit on a check run's `output.summary`, in characters. */
export const MAX_CHECK_SUMMARY_CHARS = 65_535;

/**
 * The `output.summary` of the run's check run: the status comment's content without the hidden marker and the
 * state block, with fewer history entries when needed to stay within GitHub's limit.
 */
export function renderCheckSummary(params: StatusParams): string {
  return renderStatusBody(params, MAX_CHECK_SUMMARY_CHARS);
}
