import { parseActionOutput } from '../core/action-output.ts';
import type { IssueComment } from '../github/types.ts';
import type { DispatchInputs } from './inputs.ts';

/**
 * The output comment a bot already posted for this dispatch (same run, stage and nonce), if any: a re-run of the
 * same Actions job finds its earlier result there and must not answer twice. Pure.
 */
export function alreadyAnswered(
  comments: readonly IssueComment[],
  dispatch: DispatchInputs,
): IssueComment | undefined {
  return comments.find((c) => {
    if (!c.isBot) return false;
    const parsed = parseActionOutput(c.body);
    if (parsed?.ok !== true) return false;
    const { run, stage, nonce } = parsed.output;
    return run === dispatch.runId && stage === dispatch.stage && nonce === dispatch.nonce;
  });
}
