import { approverStep } from './approver-step.ts';
import { promptStep } from './prompt-step.ts';
import { responseStep } from './response-step.ts';
import type { StepContext, StepResult } from './step-context.ts';

/** Does the step the dispatch asks for. */
export function doStep(ctx: StepContext): Promise<StepResult> {
  switch (ctx.dispatch.step) {
    case 'prompt':
      return promptStep(ctx);
    case 'response':
      return responseStep(ctx);
    case 'approver':
      return approverStep(ctx);
  }
}
