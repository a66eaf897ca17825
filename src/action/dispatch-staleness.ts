import type { RunState } from '../core/state/run-state.ts';
import type { DispatchInputs } from './inputs.ts';

/**
 * Why this dispatch is no longer what the run waits for (a /retry, /cancel, edit or newer dispatch replaced it),
 * or undefined when it is current: the run's id, stage, wait (`{ for: 'action', step, nonce }`) and the stage's
 * attempt must all match the inputs. Pure.
 */
export function dispatchStaleness(state: RunState, dispatch: DispatchInputs): string | undefined {
  if (state.id !== dispatch.runId) return `the run is ${state.id}, not ${dispatch.runId}`;
  if (state.stage !== dispatch.stage)
    return `the run is at stage "${state.stage}" now, not "${dispatch.stage}"`;
  const wait = state.wait;
  if (wait?.for !== 'action') {
    return `the run no longer waits for the Action (status ${state.status}${wait === undefined ? '' : `, waiting for ${wait.for}`})`;
  }
  if (wait.step !== dispatch.step) return `the run waits for the ${wait.step} step now, not ${dispatch.step}`;
  if (wait.nonce !== dispatch.nonce)
    return `the run waits for dispatch ${wait.nonce} now, not ${dispatch.nonce}`;
  const attempt = state.stages[dispatch.stage]?.attempt;
  if (attempt !== dispatch.attempt)
    return `stage "${dispatch.stage}" is at attempt ${attempt ?? 0} now, not ${dispatch.attempt}`;
  return undefined;
}
