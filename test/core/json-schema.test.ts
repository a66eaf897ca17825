import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatPath } from '../../src/core/diagnostic.ts';
import { workflowJsonSchema, workflowJsonSchemaText } from '../../src/core/schema/json-schema.ts';
import { WorkflowSchema } from '../../src/core/schema/workflow.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(workflowJsonSchema());

const examples = readdirSync('workflows-examples').filter((name) => name.endsWith('.yml'));
const brokenDir = 'test/fixtures/broken';
const schemaFixtures = readdirSync(brokenDir).filter(
  (name) =>
    name.endsWith('.yml') && readFileSync(`${brokenDir}/${name}`, 'utf8').startsWith('# kind: schema'),
);
const lintFixtures = readdirSync(brokenDir).filter(
  (name) => name.endsWith('.yml') && readFileSync(`${brokenDir}/${name}`, 'utf8').startsWith('# kind: lint'),
);

/** `/stages/0/gate` -> `stages[0].gate`, the path style of zod findings. */
function ajvPath(instancePath: string, params: Record<string, unknown>): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
  const extra = typeof params.additionalProperty === 'string' ? [params.additionalProperty] : [];
  return formatPath([...parts, ...extra]);
}

describe('the JSON Schema', () => {
  describe('for gate and approver values', () => {
    const gateOf = (gate: unknown) => ({
      version: 1,
      name: 'demo',
      providers: { checker: 'openai/gpt-5-mini' },
      stages: [{ id: 'plan', instructions: 'Plan.', provider: 'checker', gate }, { id: 'done' }],
    });

    it('offers the fixed values as an enum, for editors to complete', () => {
      const text = JSON.stringify(workflowJsonSchema());
      expect(text.split('"anyOf":[{"enum":["skip","manual","review"]},{"pattern":"^ai:').length - 1).toBe(6);
    });

    it.each([
      ['manual', true],
      ['ai:checker', true],
      [{ approver: 'review' }, true],
      ['manul', false],
      ['ai:', false],
      [{ approver: 'humans' }, false],
    ])('judges %j as zod does (%s)', (gate, ok) => {
      expect(validate(gateOf(gate))).toBe(ok);
      expect(WorkflowSchema.safeParse(gateOf(gate)).success).toBe(ok);
    });
  });

  it('is committed as generated from the zod schema (run `npm run schema` after changing the schema)', () => {
    expect(readFileSync('schema/workflow.schema.json', 'utf8')).toBe(workflowJsonSchemaText());
  });

  it.each(examples)('accepts the example %s', (name) => {
    const data = parse(readFileSync(`workflows-examples/${name}`, 'utf8'));
    expect(validate(data), ajv.errorsText(validate.errors)).toBe(true);
  });

  describe.each(schemaFixtures)('on the broken fixture %s', (name) => {
    const data = parse(readFileSync(`${brokenDir}/${name}`, 'utf8'));
    const zod = WorkflowSchema.safeParse(data);

    it('rejects it, as zod does', () => {
      expect(zod.success).toBe(false);
      expect(validate(data)).toBe(false);
    });

    it('points at a field zod also points at', () => {
      validate(data);
      const zodPaths = (zod.error?.issues ?? []).flatMap((issue) => {
        const base = issue.path as (string | number)[];
        const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
        return keys.map((p) => formatPath(p));
      });
      const ajvPaths = (validate.errors ?? []).map((e) =>
        ajvPath(e.instancePath, e.params as Record<string, unknown>),
      );
      expect(ajvPaths.some((p) => zodPaths.some((z) => z === p || z.startsWith(p) || p.startsWith(z)))).toBe(
        true,
      );
    });
  });

  it.each(lintFixtures)('accepts %s, whose fault only the lint pass can see', (name) => {
    const data = parse(readFileSync(`${brokenDir}/${name}`, 'utf8'));
    expect(WorkflowSchema.safeParse(data).success).toBe(true);
    expect(validate(data), ajv.errorsText(validate.errors)).toBe(true);
  });
});
