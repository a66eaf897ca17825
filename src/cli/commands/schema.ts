import { workflowJsonSchemaText } from '../../core/schema/json-schema.ts';
import type { CliIo } from '../io.ts';

/** Prints the JSON Schema of workflow files. */
export function schemaCommand(io: CliIo): number {
  io.stdout(workflowJsonSchemaText());
  return 0;
}
