// Regenerates schema/workflow.schema.json from the zod schema. `npm test` fails while the two differ.
import { writeFileSync } from 'node:fs';
import { workflowJsonSchemaText } from '../src/core/schema/json-schema.ts';

const target = new URL('../schema/workflow.schema.json', import.meta.url);
writeFileSync(target, workflowJsonSchemaText());
console.log(`wrote ${target.pathname}`);
