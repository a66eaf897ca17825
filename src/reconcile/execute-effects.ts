import type { Effect } from '../core/engine/effects.ts';
import { questionQuote } from '../core/render/question-quote.ts';
import { addReaction } from '../github/add-reaction.ts';
import { applyLabels, labelPlan } from './apply-labels.ts';
import { archiveSubject } from './archive-subject.ts';
import { dispatchStep } from './dispatch-step.ts';
import type { EffectContext } from './effect-context.ts';
import { postReply } from './post-reply.ts';
import type { RunWork } from './reconcile-deps.ts';
import { requestContent } from './request-content.ts';
import { rewriteOutputVerdict } from './rewrite-output-verdict.ts';
import { runSystemAction } from './run-system-action.ts';

/**
 * Carries out a run's effects after its status comment is written: the one executor of the engine's effects, for
 * the app, the Action alone, sweeps and simulate. Replies are joined per comment they answer; label and check
 * effects are derived from the final state, so the last label effect is applied (with what earlier ones removed) and the check run is written
 * with the status comment (write-status.ts).
 */
export async function executeEffects(w: RunWork, c: EffectContext): Promise<void> {
  const effects = w.effects;
  w.effects = [];
  const replies = new Map<string, string[]>();
  for (const effect of effects) {
    if (effect.type === 'reply') {
      const key =
        effect.to === undefined || effect.to <= 0 ? `run:${w.state.id}:${w.state.rev}` : `${effect.to}`;
      replies.set(key, [...(replies.get(key) ?? []), effect.text]);
    }
  }
  for (const [key, texts] of replies)
    await postReply(c.octokit, c.issue, c.comments, key, texts.join('\n\n'));
  // The last label effect says what the run shows; labels an earlier one took off stay off unless it adds them
  // (a label of a stage the workflow file no longer has, taken off when the run moved to the new definition).
  const plan = labelPlan(effects);
  if (plan !== undefined) await applyLabels(w, c, plan.add, plan.remove);
  for (const effect of effects) await executeEffect(w, c, effect);
}

/** Carries out one effect. Every effect type has a case: a new one fails the type check until it is handled. */
export async function executeEffect(w: RunWork, c: EffectContext, effect: Effect): Promise<void> {
  switch (effect.type) {
    case 'status.update': // written before the effects (write-status.ts)
    case 'check.update': // written with the status comment (write-status.ts)
    case 'reply': // joined per comment above
    case 'labels.set': // the last one applied above
      return;
    case 'react':
      if (effect.comment_id <= 0) return; // a command implied by a label or a re-run has no comment
      // +1 says "applied": the status comment edit (and the labels, the dispatch, a reply) that always follows an
      // applied command says it already, so it is not posted (one write fewer per command; 👀 said "received").
      if (effect.reaction === '+1') return;
      await addReaction(c.octokit, c.issue, effect.comment_id, effect.reaction).catch(() => undefined);
      return;
    case 'dispatch':
      await dispatchStep(w, c, effect);
      return;
    case 'notify':
      // A sweep's items are not announced one by one: the sweep's end notice lists those waiting for people and
      // mentions their approvers. A model's question is still asked on the item.
      if (c.deps.gateNotices === 'sweep-end' && effect.question === undefined) return;
      await notify(w, c, effect);
      return;
    case 'system.action':
      await runSystemAction(w, c, effect.stage, effect.action).catch(async (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        c.deps.log(`run ${w.state.id}: a system action of ${effect.stage} failed: ${message}`);
        await postReply(
          c.octokit,
          c.issue,
          c.comments,
          `action-failed:${w.state.id}:${effect.stage}:${w.state.rev}`,
          `A system action of stage \`${effect.stage}\` failed: ${message}`,
        );
      });
      return;
    case 'timer.schedule':
      c.deps.schedule(effect.at);
      return;
    case 'output.rewrite_verdict':
      await rewriteOutputVerdict(c, effect);
      return;
    case 'subject.archive':
      await archiveSubject(w, c, true);
      return;
    case 'content.request':
      await requestContent(w, c, effect);
      return;
    default:
      return unhandled(effect);
  }
}

function unhandled(effect: never): never {
  throw new Error(`flowgate has no way to carry out the effect ${JSON.stringify(effect)}`);
}

async function notify(
  w: RunWork,
  c: EffectContext,
  effect: Extract<Effect, { type: 'notify' }>,
): Promise<void> {
  const who = [
    ...effect.users.map((u) => `@${u}`),
    ...effect.teams.map((t) => `@${t}`),
    ...(effect.codeowners ? ['CODEOWNERS of the changed files'] : []),
  ];
  const record = w.state.stages[w.state.stage];
  const said = effect.question === undefined ? '' : `\n\n${questionQuote(effect.question)}`;
  const text = `${who.length > 0 ? `${who.join(' ')}: ` : ''}${effect.text}.${said}`;
  await postReply(
    c.octokit,
    c.issue,
    c.comments,
    effect.key ??
      `notify:${w.state.id}:${w.state.stage}:${record?.attempt ?? 0}:${w.state.wait?.for === 'approval' ? w.state.wait.step : 'content'}`,
    text,
  );
}
