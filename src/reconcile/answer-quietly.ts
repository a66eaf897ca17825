import type { EffectContext } from './effect-context.ts';
import { executeEffect } from './execute-effects.ts';
import { postReply } from './post-reply.ts';
import { handledMarker } from './quiet-answer.ts';
import type { RunWork } from './reconcile-deps.ts';

/**
 * Answers a command that changed nothing but the run's bookkeeping (quiet-answer.ts): its reply, marked as handled
 * by this run, and its reactions; the status comment is not written. Cost: 1 POST (the reply), plus a reaction.
 */
export async function answerQuietly(w: RunWork, c: EffectContext, commentId: number): Promise<void> {
  const effects = w.effects;
  w.effects = [];
  const texts = effects.flatMap((e) => (e.type === 'reply' ? [e.text] : []));
  await postReply(
    c.octokit,
    c.issue,
    c.comments,
    String(commentId),
    `${texts.join('\n\n')}\n\n${handledMarker(w.state.id, commentId)}`,
  );
  for (const effect of effects) if (effect.type === 'react') await executeEffect(w, c, effect);
  // Nothing of the run was written: what follows in this reconcile starts from the state as it was read.
  if (w.read !== undefined) w.state = w.read;
  w.changed = false;
}
