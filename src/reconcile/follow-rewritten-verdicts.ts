import { sha256Hex } from '../core/action-output.ts';
import type { EngineEvent } from '../core/engine/events.ts';
import { step } from '../core/engine/step.ts';
import { rewriteVerdict } from '../core/verdict.ts';
import type { IssueComment } from '../github/types.ts';
import type { RunWork } from './reconcile-deps.ts';
import { visibleParts } from './visible-parts.ts';

/**
 * A verdict override (`/approve --revise`, `--complete`) rewrites the output comment after the state is written.
 * The state must already hold the hash of the rewritten text, or the next stage's Action would find the output
 * "edited after the run accepted it": the rewrite is worked out here from the listing and told to the engine.
 */
export function followRewrittenVerdicts(
  w: RunWork,
  comments: readonly IssueComment[],
  ctx: () => { now: string; nonce: string },
) {
  for (const effect of w.effects) {
    if (effect.type !== 'output.rewrite_verdict') continue;
    const ids =
      effect.pointer.parts ?? (effect.pointer.comment_id === undefined ? [] : [effect.pointer.comment_id]);
    const texts = visibleParts(comments, ids);
    if (ids.length === 0 || texts.some((t) => t === undefined)) continue;
    const rewritten = texts.map((t, i) => (i === 0 ? rewriteVerdict(t ?? '', effect.verdict) : (t ?? '')));
    const sha256 = sha256Hex(rewritten.join(''));
    const event: EngineEvent = {
      id: `rewrite:${ids[0]}:${sha256}`,
      type: 'output.rewritten',
      stage: effect.stage,
      sha256,
    };
    const result = step(w.workflow, w.state, event, ctx());
    if (result.changed) w.state = result.state;
  }
}
