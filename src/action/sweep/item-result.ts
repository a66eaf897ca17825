import type { RunState, Usage } from '../../core/state/run-state.ts';
import type { ItemResult } from '../../core/sweep/index.ts';

/**
 * What became of an item's run after its batch advanced it at `stage` (pure):
 * - no run: failed (the run could not start: the reply on the item says why);
 * - the run moved to another stage, or completed: done, moving to the run's stage, through the stages it entered
 *   and left within the step (system stages, whose actions ran there: `via`);
 * - still at `stage`: waiting when its gate waits for a person (or the stage for a person's content), failed with
 *   the run's error when it failed, failed too when the job ran out of steps with work left;
 * - cancelled or paused by a person meanwhile: skipped.
 * `usage` is what the run used since `before` (the run's usage when the sweep last saw it); without `before`,
 * the stage's own usage, which is exact on a stage's first visit.
 */
export function itemResult(
  item: number,
  stage: string,
  run: RunState | undefined,
  before?: Usage,
): ItemResult {
  if (run === undefined) {
    return {
      item,
      outcome: 'failed',
      error: 'no run of the workflow could start here (see the reply on the item)',
    };
  }
  const usage = usageSince(run, stage, before);
  if (run.status === 'cancelled') return { item, outcome: 'skipped', reason: 'its run was cancelled', usage };
  if (run.status === 'paused') return { item, outcome: 'skipped', reason: 'its run was paused', usage };
  if (run.status === 'completed' || run.stage !== stage) {
    const via = passedThrough(run, stage);
    return { item, outcome: 'done', usage, next: run.stage, ...(via.length === 0 ? {} : { via }) };
  }
  if (run.status === 'awaiting_approval' || run.wait?.for === 'content' || run.wait?.for === 'condition') {
    return { item, outcome: 'waiting', usage };
  }
  if (run.status === 'failed') {
    return { item, outcome: 'failed', error: run.last_error ?? `stage "${stage}" failed`, usage };
  }
  const step = run.wait?.for === 'action' ? ` (its ${run.wait.step} step is still to run)` : '';
  return { item, outcome: 'failed', error: `stage "${stage}" did not finish in this job${step}`, usage };
}

/** A move in the run's history, as the engine records it: `outline -> tasks`. */
const MOVE = /^(\S+) -> (\S+)$/;

/**
 * The stages the run went through from `stage` to where it is now, oldest first, read back along the newest moves
 * of its history (`stage -> a`, `a -> b`, `b -> <its stage>`: a and b). Empty when the run went straight on, or
 * when the history does not lead back to `stage`.
 */
function passedThrough(run: RunState, stage: string): string[] {
  const via: string[] = [];
  let at = run.stage;
  for (let i = run.history.length - 1; i >= 0; i--) {
    const move = MOVE.exec(run.history[i]?.what ?? '');
    if (move === null) continue;
    const [, from = '', to = ''] = move;
    if (to !== at) return [];
    if (from === stage) return via.reverse();
    via.push(from);
    at = from;
  }
  return [];
}

function usageSince(run: RunState, stage: string, before: Usage | undefined): Usage {
  const from = before ?? subtract(run.usage, run.stages[stage]?.usage ?? run.usage);
  return subtract(run.usage, from);
}

function subtract(a: Usage, b: Usage): Usage {
  return {
    tokens_in: Math.max(0, a.tokens_in - b.tokens_in),
    tokens_out: Math.max(0, a.tokens_out - b.tokens_out),
    cost_usd: Math.max(0, Math.round((a.cost_usd - b.cost_usd) * 1e6) / 1e6),
  };
}
