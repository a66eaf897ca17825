import type { Path, Severity } from '../diagnostic.ts';
import type { ParsedWorkflow } from '../schema/workflow.ts';
import type { Workflow } from '../workflow.ts';

export interface LintFinding {
  path: Path;
  message: string;
  rule: string;
  severity: Severity;
  atKey?: boolean;
}

/** What a lint rule reads: the workflow as written (after defaults) and with every default resolved. */
export interface LintContext {
  parsed: ParsedWorkflow;
  workflow: Workflow;
}

export type LintRule = (ctx: LintContext) => LintFinding[];

export function error(rule: string, path: Path, message: string): LintFinding {
  return { rule, path, message, severity: 'error' };
}

export function warning(rule: string, path: Path, message: string): LintFinding {
  return { rule, path, message, severity: 'warning' };
}
