import { promptHeading } from '../reconcile/prompt-heading.ts';
import { renderStagePrompt } from './render-stage-prompt.ts';
import type { StepContext, StepResult } from './step-context.ts';

/** The `prompt` step: the stage's instructions rendered over the run's context, for people to read and approve. */
export async function promptStep(ctx: StepContext): Promise<StepResult> {
  const prompt = await renderStagePrompt(ctx);
  ctx.log.info(`rendered the prompt of "${ctx.stage.id}" (${prompt.length} characters)`);
  return { kind: 'prompt', text: `${promptHeading(ctx.stage.id, ctx.dispatch.attempt)}${prompt}` };
}
