import { readOutputText } from '../reconcile/read-output-text.ts';
import { ActionError } from './action-error.ts';
import { renderStagePrompt } from './render-stage-prompt.ts';
import type { StepContext } from './step-context.ts';

/**
 * The prompt of the current attempt: when a prompt step ran for it, the prompt comment's visible text as it
 * stands now (with the edits people approved: its sha256 must be the one the run recorded); otherwise the
 * instructions rendered now (a stage whose prompt gate is `skip`).
 */
export async function attemptPrompt(ctx: StepContext): Promise<string> {
  const posted = ctx.record.prompt;
  if (posted === undefined || posted.attempt !== ctx.dispatch.attempt) return renderStagePrompt(ctx);
  const read = readOutputText(ctx.comments, posted.pointer, `the prompt of "${ctx.stage.id}"`);
  if (!read.ok) throw new ActionError(read.error);
  if (read.sha256 !== posted.sha256) {
    throw new ActionError(
      `the prompt of "${ctx.stage.id}" was changed after it was approved (its text no longer has sha256 ${posted.sha256.slice(0, 12)}); restore it from the comment's edit history, or /retry to render it again`,
    );
  }
  return read.text;
}
