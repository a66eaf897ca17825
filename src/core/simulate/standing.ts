import type { RunState } from '../state/run-state.ts';

/** Where a run stands, in words that start with its state: `paused at stage "plan": ...`. */
export function standing(state: RunState | undefined): string {
  if (state === undefined) return 'not started';
  const at = `at stage "${state.stage}"`;
  const wait = state.wait;
  switch (state.status) {
    case 'failed':
      return `failed ${at}: ${state.last_error ?? 'unknown error'}`;
    case 'paused':
      return `paused ${at}: ${state.resume?.reason ?? 'paused'}`;
    case 'awaiting_approval':
      if (wait?.for === 'answer')
        return `waiting for an answer to the ${wait.from === 'model' ? "model's" : "AI approver's"} question ${at}: ${wait.question}`;
      return wait?.for === 'approval'
        ? `waiting for approval of the ${wait.step} ${at}`
        : `waiting for content ${at}`;
    case 'running': {
      const attempt = state.stages[state.stage]?.attempt ?? 0;
      if (wait?.for === 'action') return `waiting for the ${wait.step} of attempt ${attempt} ${at}`;
      if (wait?.for === 'condition') return `waiting for a transition condition ${at}`;
      return `running ${at}, attempt ${attempt}`;
    }
    default:
      return `${state.status} ${at}`;
  }
}
