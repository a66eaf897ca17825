import { type ConditionContext, evaluateCondition } from '../expression.ts';
import type { RunState } from '../state/run-state.ts';
import type { Stage } from '../workflow.ts';
import { type WaitedCondition, waitedConditions } from './waited-conditions.ts';

/** Where a stage goes next, or that it must wait: the answer of `chooseTransition`. */
export type TransitionChoice =
  | { to: string; why: string }
  /** No condition holds yet and there is no fallback: the run waits in the stage for one of these to hold. */
  | { waiting: WaitedCondition[] }
  | { error: string };

/**
 * Where a stage goes once its output is approved: the first transition whose condition holds (a `when_ai`
 * transition holds when the stage's provider chose its target), else `next`. When no transition holds and there is
 * no fallback, the stage waits for one of its `when` conditions (they read labels, which change later); a stage
 * with no `when` at all can wait for nothing, and that is an error, as is a condition that fails to evaluate.
 * `labels` are the subject's labels now, as the shell read them; absent, the ones the run started with.
 */
export function chooseTransition(
  stage: Stage,
  state: RunState,
  labels: readonly string[] = state.subject.labels,
): TransitionChoice {
  if (stage.transitions === undefined) {
    return stage.next === undefined
      ? { error: `stage "${stage.id}" has no way out` }
      : { to: stage.next, why: 'next' };
  }
  const record = state.stages[stage.id];
  const context = conditionContext(state, stage.id, labels);
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
  const waiting = waitedConditions(stage);
  if (waiting.length > 0) return { waiting };
  return { error: `no transition of stage "${stage.id}" matched, and it has no fallback` };
}

/**
 * The documented condition context (see CONDITION_VARIABLES) for the given stage; `labels` (and `subject.labels`)
 * are the given labels, by default the ones the run started with.
 */
export function conditionContext(
  state: RunState,
  stageId: string,
  labels: readonly string[] = state.subject.labels,
): ConditionContext {
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
    labels: [...labels],
    subject: {
      title: state.subject.title,
      number: BigInt(state.subject.number),
      author: state.subject.author,
      type: state.subject.kind,
      labels: [...labels],
    },
  };
}
