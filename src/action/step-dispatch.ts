import type { DispatchInputs as StepRequest } from '../reconcile/reconcile-deps.ts';
import type { DispatchInputs } from './inputs.ts';

/** A step the reconcile asked for, as the Action reads it from its `workflow_dispatch` inputs. */
export function stepDispatch(request: StepRequest): DispatchInputs {
  return {
    runId: request.run_id,
    subject: Number(request.subject),
    stage: request.stage,
    attempt: Number(request.attempt),
    nonce: request.nonce,
    step: request.step,
  };
}
