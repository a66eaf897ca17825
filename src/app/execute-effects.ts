import { formatActionOutput, parseActionOutput } from '../core/action-output.ts';
import type { Effect } from '../core/engine/effects.ts';
import { step } from '../core/engine/step.ts';
import type { SystemAction } from '../core/schema/system-action.ts';
import { liquid } from '../core/template.ts';
import { rewriteVerdict } from '../core/verdict.ts';
import { addAssignees } from '../github/add-assignees.ts';
import { addReaction } from '../github/add-reaction.ts';
import { dispatchWorkflow } from '../github/dispatch-workflow.ts';
import { ensureLabels } from '../github/ensure-labels.ts';
import { getComment } from '../github/get-comment.ts';
import { lockIssue } from '../github/lock-issue.ts';
import { requestReviewers } from '../github/request-reviewers.ts';
import { setIssueLabels } from '../github/set-issue-labels.ts';
import { setIssueState } from '../github/set-issue-state.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import { updateComment } from '../github/update-comment.ts';
import { postReply } from './post-reply.ts';
import { postWebhook } from './post-webhook.ts';
import type { ReconcileDeps, RunWork } from './reconcile-subject.ts';
import type { SubjectEvent } from './subject-event.ts';
import { writeStatus } from './write-status.ts';

export interface EffectContext {
  octokit: Octo;
  issue: IssueRef;
  subject: SubjectEvent;
  comments: IssueComment[];
  deps: ReconcileDeps;
  headSha: string | undefined;
}

/**
 * Carries out a run's effects after its status comment is written. Label and check effects are derived from the
 * final state, so only the last of each matters. A dispatch that GitHub refuses fails the stage (with GitHub's
 * reason) and the status comment is written again.
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
  const labels = [...effects].reverse().find((e) => e.type === 'labels.set');
  if (labels?.type === 'labels.set') await applyLabels(w, c, labels.add, labels.remove);
  for (const effect of effects) await executeOne(w, c, effect);
}

async function executeOne(w: RunWork, c: EffectContext, effect: Effect): Promise<void> {
  const { octokit, issue } = c;
  switch (effect.type) {
    case 'react':
      if (effect.comment_id <= 0) return; // a command implied by a label or a re-run has no comment
      await addReaction(octokit, issue, effect.comment_id, effect.reaction).catch(() => undefined);
      return;
    case 'dispatch':
      try {
        const inputs: DispatchInputs = {
          run_id: w.state.id,
          subject: String(issue.number),
          stage: effect.stage,
          attempt: String(effect.attempt),
          nonce: effect.nonce,
          step: effect.step,
        };
        if (c.deps.dispatch !== undefined) await c.deps.dispatch(inputs);
        else
          await dispatchWorkflow(octokit, issue, {
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
          await writeStatus(octokit, issue, w, c.comments, c.deps.config.stateKey, c.headSha);
        }
      }
      return;
    case 'notify': {
      const who = [
        ...effect.users.map((u) => `@${u}`),
        ...effect.teams.map((t) => `@${t}`),
        ...(effect.codeowners ? ['CODEOWNERS of the changed files'] : []),
      ];
      const record = w.state.stages[w.state.stage];
      const text = `${who.length > 0 ? `${who.join(' ')}: ` : ''}${effect.text}.`;
      await postReply(
        octokit,
        issue,
        c.comments,
        `notify:${w.state.id}:${w.state.stage}:${record?.attempt ?? 0}:${w.state.wait?.for === 'approval' ? w.state.wait.step : 'content'}`,
        text,
      );
      return;
    }
    case 'system.action':
      await systemAction(w, c, effect.stage, effect.action).catch(async (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        c.deps.log(`run ${w.state.id}: a system action of ${effect.stage} failed: ${message}`);
        await postReply(
          c.octokit,
          issue,
          c.comments,
          `action-failed:${w.state.id}:${effect.stage}:${w.state.rev}`,
          `A system action of stage \`${effect.stage}\` failed: ${message}`,
        );
      });
      return;
    case 'timer.schedule':
      c.deps.schedule(effect.at);
      return;
    case 'output.rewrite_verdict': {
      const id = effect.pointer.comment_id;
      const comment = id === undefined ? undefined : await getComment(octokit, issue, id);
      const parsed = comment === undefined ? undefined : parseActionOutput(comment.body);
      if (comment === undefined || parsed === undefined || !parsed.ok || parsed.output.kind !== 'response')
        return;
      const visible = rewriteVerdict(parsed.visible, effect.verdict);
      const { sha256: _old, ...output } = parsed.output;
      const rewritten = await updateComment(
        octokit,
        issue,
        comment.id,
        formatActionOutput({ ...output, verdict: effect.verdict }, visible),
      );
      // The listing this reconcile holds says what the comment reads now.
      const at = c.comments.findIndex((known) => known.id === rewritten.id);
      if (at >= 0) c.comments[at] = rewritten;
      return;
    }
    case 'subject.archive':
      if (effect.after_days === 0) {
        await setIssueState(octokit, issue, 'closed', 'completed');
        if (effect.lock) await lockIssue(octokit, issue);
      }
      return;
    default:
      return;
  }
}

async function applyLabels(w: RunWork, c: EffectContext, add: string[], remove: string[]): Promise<void> {
  const key = `${c.issue.owner}/${c.issue.repo}`;
  const known = c.deps.labels.get(key) ?? new Set<string>();
  c.deps.labels.set(key, known);
  const describe = (name: string) =>
    name === w.workflow.labels.awaiting_approval
      ? 'flowgate: a gate waits for a person'
      : `flowgate: the ${w.workflow.name} run is at this stage`;
  await ensureLabels(
    c.octokit,
    c.issue,
    add.map((name) => ({ name, color: w.workflow.labels.color, description: describe(name) })),
    known,
  );
  c.subject.labels = await setIssueLabels(c.octokit, c.issue, c.subject.labels, add, remove);
}

async function systemAction(
  w: RunWork,
  c: EffectContext,
  stage: string,
  action: SystemAction,
): Promise<void> {
  const { octokit, issue } = c;
  const context = {
    subject: {
      title: c.subject.title,
      number: c.subject.number,
      author: c.subject.author,
      labels: c.subject.labels,
    },
    workflow: { name: w.workflow.name, description: w.workflow.description ?? '' },
    run: { id: w.state.id },
    stage: { id: stage },
  };
  if (action.add_labels !== undefined || action.remove_labels !== undefined) {
    c.subject.labels = await setIssueLabels(
      octokit,
      issue,
      c.subject.labels,
      action.add_labels ?? [],
      action.remove_labels ?? [],
    );
  }
  if (action.comment !== undefined) {
    const text = await liquid.parseAndRender(action.comment, context);
    await postReply(
      octokit,
      issue,
      c.comments,
      `action:${w.state.id}:${stage}:${w.state.stages[stage]?.visits ?? 0}`,
      text,
    );
  }
  if (action.close !== undefined)
    await setIssueState(octokit, issue, 'closed', action.close === true ? 'completed' : action.close);
  if (action.reopen !== undefined) await setIssueState(octokit, issue, 'open');
  if (action.assign !== undefined)
    await addAssignees(
      octokit,
      issue,
      action.assign.map((a) => a.replace(/^@/, '')),
    );
  if (action.request_reviewers !== undefined && c.subject.isPull)
    await requestReviewers(octokit, issue, action.request_reviewers);
  if (action.dispatch !== undefined) {
    const inputs: Record<string, string> = {};
    for (const [name, value] of Object.entries(action.dispatch.inputs))
      inputs[name] = await liquid.parseAndRender(value, context);
    await dispatchWorkflow(octokit, issue, {
      workflowFile: action.dispatch.workflow,
      ref: action.dispatch.ref ?? c.subject.defaultBranch,
      inputs,
    });
  }
  if (action.webhook !== undefined) {
    await postWebhook(
      action.webhook.url,
      { run: w.state.id, workflow: w.workflow.name, stage, status: w.state.status, subject: context.subject },
      action.webhook.secret_env === undefined ? undefined : process.env[action.webhook.secret_env],
    );
  }
}

/** The inputs of one stage step for the Action, as the `workflow_dispatch` of the stage workflow carries them. */
export interface DispatchInputs {
  run_id: string;
  subject: string;
  stage: string;
  attempt: string;
  nonce: string;
  step: 'prompt' | 'response' | 'approver';
}
