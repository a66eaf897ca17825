import { renderPrompt } from '../action/render-prompt.ts';
import type { Effect } from '../core/engine/effects.ts';
import { contentRequestText } from '../core/render/content-request.ts';
import type { Stage } from '../core/workflow.ts';
import type { EffectContext } from './effect-context.ts';
import { postReply, replyMarker } from './post-reply.ts';
import type { RunWork } from './reconcile-deps.ts';
import { stageTemplateContext } from './system-action-context.ts';

/**
 * Asks for a manual stage's content in one reply per attempt: its `instructions` rendered over the same context,
 * with the same sanitising and fencing, as a prompt (`promptContext`), who is asked, the feedback that sent the
 * previous attempt back, and how to hand the content in (`contentRequestText`). Instructions that cannot be
 * rendered are said so in the reply; the run waits all the same. Cost: nothing when the reply exists already; else
 * 1 POST and, when the stage has instructions, the reads a prompt takes: the subject (1 GET for an issue, more for
 * a pull request: `readSubjectFacts`, `readRunPull`) and every comment (1 GET per 100).
 */
export async function requestContent(
  w: RunWork,
  c: EffectContext,
  effect: Extract<Effect, { type: 'content.request' }>,
): Promise<void> {
  const stage = w.workflow.stages.find((s) => s.id === effect.stage);
  if (stage === undefined) return;
  const key = `content-request:${w.state.id}:${effect.stage}:${effect.attempt}`;
  if (c.comments.some((comment) => comment.isBot && comment.body.includes(replyMarker(key)))) return;
  const instructions =
    stage.instructions === undefined
      ? undefined
      : await renderInstructions(w, c, stage).then(
          (text) => ({ text }),
          (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
        );
  const text = contentRequestText({
    stage,
    attempt: effect.attempt,
    users: effect.users,
    teams: effect.teams,
    codeowners: effect.codeowners,
    ...(instructions === undefined ? {} : { instructions }),
    ...(effect.feedback === undefined ? {} : { feedback: effect.feedback }),
  });
  await postReply(c.octokit, c.issue, c.comments, key, text);
}

async function renderInstructions(w: RunWork, c: EffectContext, stage: Stage): Promise<string> {
  return renderPrompt(stage, await stageTemplateContext(w, c, stage));
}
