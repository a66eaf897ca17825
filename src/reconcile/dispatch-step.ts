import type { Effect } from '../core/engine/effects.ts';
import { step } from '../core/engine/step.ts';
import { dispatchWorkflow } from '../github/dispatch-workflow.ts';
import type { EffectContext } from './effect-context.ts';
import type { DispatchInputs, RunWork } from './reconcile-deps.ts';
import { writeStatus } from './write-status.ts';

/**
 * Runs a stage step: the caller's own runner when it has one (the Action alone, a sweep, simulate), otherwise a
 * `workflow_dispatch` of the team's stage workflow. A dispatch that GitHub refuses fails the stage with GitHub's
 * reason, and the status comment is written again.
 */
export async function dispatchStep(
  w: RunWork,
  c: EffectContext,
  effect: Extract<Effect, { type: 'dispatch' }>,
): Promise<void> {
  try {
    const inputs: DispatchInputs = {
      run_id: w.state.id,
      subject: String(c.issue.number),
      stage: effect.stage,
      attempt: String(effect.attempt),
      nonce: effect.nonce,
      step: effect.step,
    };
    if (c.deps.dispatch !== undefined) await c.deps.dispatch(inputs);
    else
      await dispatchWorkflow(c.octokit, c.issue, {
        workflowFile: c.deps.config.actionsWorkflow,
        ref: c.subject.defaultBranch,
        inputs: { ...inputs },
      });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const failed = step(
      w.workflow,
      w.state,
      {
        id: `dispatch:${effect.nonce}`,
        type: 'stage.failed',
        stage: effect.stage,
        nonce: effect.nonce,
        error: `could not start the stage workflow: ${message}`,
      },
      { now: c.deps.now(), nonce: c.deps.nonce() },
    );
    if (failed.changed) {
      w.baseRev = w.state.rev;
      w.state = failed.state;
      w.effects = failed.effects.filter((e) => e.type !== 'dispatch');
      await writeStatus(c.octokit, c.issue, w, c.comments, c.deps.config.stateKey, c.headSha, c.deps.etags);
    }
  }
}
