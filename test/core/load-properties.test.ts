import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { LoadResult } from '../../src/core/load/load-workflow.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';

/** Pieces that YAML and workflow files are made of, so random text often comes close to a real file. */
const FRAGMENTS = [
  'version: 1\n',
  'name: demo\n',
  'stages:\n',
  '  - id: plan\n',
  '  - id: done\n',
  '    next: done\n',
  '    gate: manual\n',
  '    instructions: |\n      Plan {{ subject.title }}\n',
  "    transitions:\n      - { to: done, when: 'attempt > 1' }\n",
  'providers:\n  writer: anthropic/claude-sonnet-4-5\n',
  'extends: base.yml\n',
  '  ',
  '    ',
  '\t',
  '- ',
  ': ',
  ':',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
  '|',
  '>',
  '&a ',
  '*a',
  '!!str ',
  '? ',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '\n',
  '\r\n',
  '\r',
  '{{ ',
  ' }}',
  '{% if x %}',
  '\u00a0',
  '\ufeff',
  'é',
  '😀',
];

const yamlish = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })), { maxLength: 40 })
  .map((parts) => parts.join(''));

const stageId = fc.constantFrom('plan', 'review', 'done', 'fix', 'x');

/** Workflow-shaped values, so that the lint pass runs on odd but well-formed files too. */
const workflowish = fc.record(
  {
    version: fc.oneof(fc.constant(1), fc.anything()),
    name: fc.constantFrom('demo', 'bad name', ''),
    mode: fc.constantFrom('interactive', 'automated'),
    providers: fc.dictionary(
      fc.constantFrom('writer', 'agent', 'checker'),
      fc.oneof(
        fc.constant('anthropic/m'),
        fc.constant({ use: 'command', run: 'x' }),
        fc.constant({ use: 'openai', model: 'm' }),
        fc.anything(),
      ),
    ),
    defaults: fc.record(
      {
        provider: fc.constantFrom('writer', 'nope'),
        gate: fc.constantFrom('skip', 'manual', 'review', 'ai:checker'),
      },
      { requiredKeys: [] },
    ),
    stages: fc.array(
      fc.record(
        {
          id: stageId,
          type: fc.constantFrom('entry', 'work', 'terminal'),
          mode: fc.constantFrom('ai', 'command', 'manual', 'system'),
          provider: fc.constantFrom('writer', 'agent', 'checker', 'nope'),
          instructions: fc.oneof(
            fc.constantFrom('Plan {{ subject.title }}', '{{ x', '{% if %}', '{{ a | nope }}'),
            fc.string(),
          ),
          gate: fc.oneof(
            fc.constantFrom('skip', 'manual', 'review', 'ai:checker', 'ai:agent'),
            fc.anything(),
          ),
          prompt_gate: fc.constantFrom('skip', 'manual'),
          next: stageId,
          transitions: fc.array(
            fc.oneof(
              stageId,
              fc.record(
                {
                  to: stageId,
                  when: fc.oneof(
                    fc.constantFrom('attempt < 3', 'verdict == "pass"', 'atempt', '1 +', 'attempt + 1'),
                    fc.string(),
                  ),
                  when_ai: fc.string({ minLength: 1 }),
                },
                { requiredKeys: ['to'] },
              ),
            ),
            { maxLength: 3 },
          ),
          verdict: fc.boolean(),
          output: fc.constantFrom('comment', 'pull_request', 'file:x.md'),
          run: fc.array(
            fc.dictionary(fc.constantFrom('comment', 'close', 'add_labels'), fc.constantFrom('x', true)),
            { maxLength: 2 },
          ),
          archive: fc.nat(10),
          replaces: stageId,
          labels: fc.string({ maxLength: 60 }),
        },
        { requiredKeys: ['id'] },
      ),
      { maxLength: 6 },
    ),
  },
  { requiredKeys: [] },
);

/** What every result must satisfy, whatever the input: positions a person can follow. */
function expectPositionsInFiles(result: LoadResult): void {
  for (const d of result.diagnostics) {
    const file = result.files.find((f) => f.name === d.file);
    expect(file, `finding in unknown file ${d.file}`).toBeDefined();
    const lines = (file?.text ?? '').split(/\r?\n/);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines.length);
    expect(d.col).toBeLessThanOrEqual((lines[d.line - 1]?.length ?? 0) + 1);
    expect(d.message.trim()).not.toBe('');
    expect(['error', 'warning']).toContain(d.severity);
  }
  if (result.workflow !== undefined)
    expect(result.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  else expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
}

/** A reader that serves one more random file, so extends runs on arbitrary input too. */
function readerOf(base: string) {
  return async (ref: string) => {
    if (ref === 'missing.yml') throw new Error('no such file');
    return { name: 'base.yml', text: base };
  };
}

describe('loadWorkflow on any input', () => {
  it('never throws, and positions every finding on a line of its file, for YAML-ish text', async () => {
    await fc.assert(
      fc.asyncProperty(yamlish, yamlish, async (text, base) => {
        expectPositionsInFiles(await loadWorkflow('flow.yml', text, { readSource: readerOf(base) }));
      }),
      { numRuns: 400 },
    );
  });

  it('does the same for arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (text) => {
        expectPositionsInFiles(await loadWorkflow('flow.yml', text));
      }),
      { numRuns: 300 },
    );
  });

  it('does the same for any value written out as YAML', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ maxDepth: 4 }), async (value) => {
        // `stringify(undefined)` gives undefined, as JSON.stringify does: an empty file.
        expectPositionsInFiles(await loadWorkflow('flow.yml', stringify(value) ?? ''));
      }),
      { numRuns: 300 },
    );
  });

  it('does the same for workflow-shaped values, in flow style and block style', async () => {
    await fc.assert(
      fc.asyncProperty(workflowish, fc.boolean(), async (value, flow) => {
        const text = stringify(value, null, { collectionStyle: flow ? 'flow' : 'any' });
        expectPositionsInFiles(await loadWorkflow('flow.yml', text));
      }),
      { numRuns: 400 },
    );
  });

  it('does the same when a workflow-shaped file extends another', async () => {
    await fc.assert(
      fc.asyncProperty(workflowish, workflowish, async (child, base) => {
        const text = stringify({ ...child, extends: 'base.yml' });
        expectPositionsInFiles(
          await loadWorkflow('flow.yml', text, { readSource: readerOf(stringify(base)) }),
        );
      }),
      { numRuns: 300 },
    );
  });
});
