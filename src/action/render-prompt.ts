import { liquid, TEMPLATE_LIMITS } from '../core/template.ts';
import type { Stage } from '../core/workflow.ts';
import { ActionError } from './action-error.ts';

/**
 * The stage's `instructions` rendered (Liquid, no file access) over the prompt context. Throws an ActionError
 * when the template cannot be rendered or renders to nothing.
 */
export function renderPrompt(stage: Stage, context: Record<string, unknown>): string {
  let text: string;
  try {
    text = liquid.parseAndRenderSync(stage.instructions ?? '', context);
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    const limit =
      /memory alloc limit exceeded|template render limit exceeded|template parse limit exceeded/.test(said)
        ? ` (templates may take ${TEMPLATE_LIMITS.renderLimit / 1000} s and allocate about ${TEMPLATE_LIMITS.memoryLimit.toLocaleString('en-US')} characters; look for a loop over a large range or a string built up in a loop)`
        : '';
    throw new ActionError(`the instructions of "${stage.id}" could not be rendered: ${said}${limit}`);
  }
  if (text.trim() === '') {
    throw new ActionError(
      `the instructions of "${stage.id}" render to an empty prompt: give the stage \`instructions\``,
    );
  }
  return text;
}
