import { expect } from 'vitest';
import { stringify } from 'yaml';
import type { Diagnostic } from '../../src/core/diagnostic.ts';
import { type LoadOptions, type LoadResult, loadWorkflow } from '../../src/core/load/load-workflow.ts';
import type { Workflow } from '../../src/core/workflow.ts';

/** A workflow file written as a plain object; `load` turns it into YAML text first, as a user would write it. */
export type RawWorkflow = Record<string, unknown>;

/**
 * The smallest clean workflow: an ai stage that plans, then the end. Its gates pass on their own (`defaults.gate:
 * skip`) unless a test writes others: the tests of other fields need no person's approval.
 */
export function minimal(): RawWorkflow {
  return {
    version: 1,
    name: 'demo',
    providers: { writer: 'anthropic/claude-sonnet-4-5' },
    defaults: { gate: 'skip' },
    stages: [{ id: 'plan', provider: 'writer', instructions: 'Plan {{ subject.title }}' }, { id: 'done' }],
  };
}

/** `minimal()` with its stages replaced. */
export function withStages(...stages: RawWorkflow[]): RawWorkflow {
  return { ...minimal(), stages };
}

export function load(source: RawWorkflow | string, options?: LoadOptions): Promise<LoadResult> {
  const text = typeof source === 'string' ? source : stringify(source);
  return loadWorkflow('flow.yml', text, options);
}

/** Loads a file that must be free of findings, and returns the workflow with every default resolved. */
export async function loadClean(source: RawWorkflow | string, options?: LoadOptions): Promise<Workflow> {
  const result = await load(source, options);
  expect(result.diagnostics.map(summary)).toEqual([]);
  if (result.workflow === undefined) throw new Error('no workflow although there were no findings');
  return result.workflow;
}

/** The parts of a finding a test compares: what a user reads, and where. */
export function summary(d: Diagnostic): Pick<Diagnostic, 'rule' | 'severity' | 'path' | 'message'> {
  return { rule: d.rule, severity: d.severity, path: d.path, message: d.message };
}
