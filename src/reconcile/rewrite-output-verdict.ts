import { formatActionOutput, parseActionOutput } from '../core/action-output.ts';
import type { Effect } from '../core/engine/effects.ts';
import { rewriteVerdict } from '../core/verdict.ts';
import { getComment } from '../github/get-comment.ts';
import { updateComment } from '../github/update-comment.ts';
import type { EffectContext } from './effect-context.ts';

/** After `/approve --revise` or `--complete`, the stored response's verdict line and marker say what was decided. */
export async function rewriteOutputVerdict(
  c: EffectContext,
  effect: Extract<Effect, { type: 'output.rewrite_verdict' }>,
): Promise<void> {
  const id = effect.pointer.comment_id;
  const comment = id === undefined ? undefined : await getComment(c.octokit, c.issue, id);
  const parsed = comment === undefined ? undefined : parseActionOutput(comment.body);
  if (comment === undefined || parsed === undefined || !parsed.ok || parsed.output.kind !== 'response')
    return;
  const visible = rewriteVerdict(parsed.visible, effect.verdict);
  const { sha256: _old, ...output } = parsed.output;
  const rewritten = await updateComment(
    c.octokit,
    c.issue,
    comment.id,
    formatActionOutput({ ...output, verdict: effect.verdict }, visible),
  );
  // The listing this reconcile holds says what the comment reads now.
  const at = c.comments.findIndex((known) => known.id === rewritten.id);
  if (at >= 0) c.comments[at] = rewritten;
}
