import type { Path, Severity } from '../diagnostic.ts';
import type { ActionsSchedule } from '../load/actions-schedules.ts';
import type { ParsedWorkflow } from '../schema/workflow.ts';
import type { Workflow } from '../workflow.ts';

export interface LintFinding {
  path: Path;
  message: string;
  rule: string;
  severity: Severity;
  atKey?: boolean;
  /**
   * A place inside the text value at `path` (a template or condition): its 0-based offset, and the words added to
   * the message when the file does not let that place be pinned (e.g. ` (template line 2, column 8)`).
   */
  inValue?: { offset: number; otherwise: string };
}

/** What a lint rule reads: the workflow as written (after defaults) and with every default resolved. */
export interface LintContext {
  parsed: ParsedWorkflow;
  workflow: Workflow;
  /** The repository's Actions schedules (of workflows running the flowgate Action), when the caller read them. */
  actionsSchedules?: readonly ActionsSchedule[];
}

export type LintRule = (ctx: LintContext) => LintFinding[];

export function error(rule: string, path: Path, message: string): LintFinding {
  return { rule, path, message, severity: 'error' };
}

export function warning(rule: string, path: Path, message: string): LintFinding {
  return { rule, path, message, severity: 'warning' };
}
