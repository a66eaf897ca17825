import { liquid } from '../core/template.ts';
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
    throw new ActionError(
      `the instructions of "${stage.id}" could not be rendered: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (text.trim() === '') {
    throw new ActionError(
      `the instructions of "${stage.id}" render to an empty prompt: give the stage \`instructions\``,
    );
  }
  return text;
}
