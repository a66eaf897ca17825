import { type ConditionContext, evaluateCondition } from '../expression.ts';
import type { RunState } from '../state/run-state.ts';
import type { Stage } from '../workflow.ts';

/**
 * Where a stage goes once its output is approved: the first transition whose condition holds (a `when_ai`
 * transition holds when the stage's provider chose its target), else `next`.
 */
export function chooseTransition(
  stage: Stage,
  state: RunState,
): { to: string; why: string } | { error: string } {
  if (stage.transitions === undefined) {
    return stage.next === undefined
      ? { error: `stage "${stage.id}" has no way out` }
      : { to: stage.next, why: 'next' };
  }
  const record = state.stages[stage.id];
  const context = conditionContext(state, stage.id);
  for (const t of stage.transitions) {
    if (t.when !== undefined) {
      const result = evaluateCondition(t.when, context);
      if ('error' in result)
        return { error: `the condition ${t.when} of stage "${stage.id}" failed: ${result.error}` };
      if (result.value) return { to: t.to, why: `when ${t.when}` };
    } else if (t.when_ai !== undefined) {
      if (record?.output?.choice === t.to) return { to: t.to, why: `the model chose: ${t.when_ai}` };
    } else {
      return { to: t.to, why: 'fallback' };
    }
  }
  return { error: `no transition of stage "${stage.id}" matched, and it has no fallback` };
}

/** The documented condition context (see CONDITION_VARIABLES) for the given stage. */
export function conditionContext(state: RunState, stageId: string): ConditionContext {
  const record = state.stages[stageId];
  const outputs: ConditionContext['outputs'] = {};
  for (const [id, r] of Object.entries(state.stages)) {
    const approved =
      r.output !== undefined && r.approvals.some((a) => a.step === 'response' && a.attempt === r.attempt);
    outputs[id] = { verdict: r.output?.verdict ?? '', attempt: BigInt(r.attempt), approved };
  }
  return {
    verdict: record?.output?.verdict ?? '',
    attempt: BigInt(record?.attempt ?? 0),
    retries: BigInt(record?.retries ?? 0),
    outputs,
    labels: state.subject.labels,
    subject: {
      title: state.subject.title,
      number: BigInt(state.subject.number),
      author: state.subject.author,
      type: state.subject.kind,
      labels: state.subject.labels,
    },
  };
}
