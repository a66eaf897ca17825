import type { SystemAction } from '../core/schema/system-action.ts';
import { liquid } from '../core/template.ts';
import { stageById } from '../core/workflow.ts';
import { addAssignees } from '../github/add-assignees.ts';
import { dispatchWorkflow } from '../github/dispatch-workflow.ts';
import { requestReviewers } from '../github/request-reviewers.ts';
import { setIssueLabels } from '../github/set-issue-labels.ts';
import { setIssueState } from '../github/set-issue-state.ts';
import type { EffectContext } from './effect-context.ts';
import { fitComment } from './fit-comment.ts';
import { inertCommentContext, type SystemActionContext } from './inert-comment-context.ts';
import { postReply } from './post-reply.ts';
import { postWebhook } from './post-webhook.ts';
import type { RunWork } from './reconcile-deps.ts';
import { runPull } from './run-pull.ts';
import { systemActionContext } from './system-action-context.ts';

/** Carries out one action of a system stage's `run` list on GitHub; a failure throws with GitHub's reason. */
export async function runSystemAction(
  w: RunWork,
  c: EffectContext,
  stage: string,
  action: SystemAction,
): Promise<void> {
  const { octokit, issue } = c;
  // Read once, and only for an action with a template: the other actions need nothing of it.
  let values: Promise<SystemActionContext> | undefined;
  const context = () => {
    const of = stageById(w.workflow, stage);
    if (of === undefined) throw new Error(`stage "${stage}" is not in workflow "${w.workflow.name}"`);
    values ??= systemActionContext(w, c, of);
    return values;
  };
  if (action.add_labels !== undefined || action.remove_labels !== undefined) {
    c.subject.labels = await setIssueLabels(
      octokit,
      issue,
      c.subject.labels,
      action.add_labels ?? [],
      action.remove_labels ?? [],
      c.deps.labelAnswers,
    );
  }
  if (action.comment !== undefined) {
    // Person-written values (the title, labels) show as text in a comment: never as links, images or mentions.
    const text = await liquid.parseAndRender(action.comment, inertCommentContext(await context()));
    await postReply(
      octokit,
      issue,
      c.comments,
      `action:${w.state.id}:${stage}:${w.state.stages[stage]?.visits ?? 0}`,
      fitComment(text),
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
  if (action.request_reviewers !== undefined) {
    const pull = runPull(w.state, c.subject);
    if (pull === undefined)
      throw new Error(
        '`request_reviewers` needs a pull request: the subject is an issue and the run opened none',
      );
    await requestReviewers(octokit, { ...issue, number: pull }, action.request_reviewers);
  }
  if (action.dispatch !== undefined) {
    const inputs: Record<string, string> = {};
    const plain = await context();
    for (const [name, value] of Object.entries(action.dispatch.inputs))
      inputs[name] = await liquid.parseAndRender(value, plain);
    await dispatchWorkflow(octokit, issue, {
      workflowFile: action.dispatch.workflow,
      ref: action.dispatch.ref ?? c.subject.defaultBranch,
      inputs,
    });
  }
  if (action.webhook !== undefined) {
    const subject = {
      title: c.subject.title,
      number: c.subject.number,
      author: c.subject.author,
      labels: c.subject.labels,
    };
    const body = { run: w.state.id, workflow: w.workflow.name, stage, status: w.state.status, subject };
    const secretEnv = action.webhook.secret_env;
    if (c.deps.webhook !== undefined) await c.deps.webhook(action.webhook.url, body, secretEnv);
    else
      await postWebhook(
        action.webhook.url,
        body,
        secretEnv === undefined ? undefined : process.env[secretEnv],
      );
  }
}
