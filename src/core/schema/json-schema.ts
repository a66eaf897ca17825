import { z } from 'zod';
import { WorkflowSchema } from './workflow.ts';

/** The JSON Schema of a workflow file, generated from the zod schema (the input side: shorthands included). */
export function workflowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(WorkflowSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
}

/** The schema as committed in `schema/workflow.schema.json`: two-space JSON with a final newline. */
export function workflowJsonSchemaText(): string {
  return `${JSON.stringify(workflowJsonSchema(), null, 2)}\n`;
}
