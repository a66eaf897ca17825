import type { Stage } from '../workflow.ts';

/** One `when` transition a run can wait on: its condition and where it leads. */
export interface WaitedCondition {
  to: string;
  when: string;
}

/** The `when` conditions of a stage's transitions, with where each leads, in the order they are tried. */
export function waitedConditions(stage: Stage): WaitedCondition[] {
  return (stage.transitions ?? []).flatMap((t) => (t.when === undefined ? [] : [{ to: t.to, when: t.when }]));
}

/**
 * The conditions a run waits on, in words for a reply: `` `'ready' in labels` (to "build") or `...` (to "x") ``.
 * Each condition is one code span whose fence no backtick inside it can close.
 */
export function describeWaitedConditions(conditions: readonly WaitedCondition[]): string {
  return conditions.map((c) => `${codeSpan(c.when)} (to "${c.to}")`).join(' or ');
}

function codeSpan(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
