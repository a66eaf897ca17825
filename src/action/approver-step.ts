import { askHumanOffered, cutQuestion } from '../core/ask-human.ts';
import { getIssue } from '../github/get-issue.ts';
import { getPull } from '../github/get-pull.ts';
import { listPullFiles } from '../github/list-pull-files.ts';
import { readOutputText } from '../reconcile/read-output-text.ts';
import { ActionError } from './action-error.ts';
import { attemptPrompt } from './attempt-prompt.ts';
import { budgetStop, estimateCall } from './budget-stop.ts';
import { fitCall } from './fit-call.ts';
import { approverPrompt, approverSystemPrompt } from './model-prompts.ts';
import { pullRequestContent } from './pull-request-content.ts';
import { sanitizeUntrusted } from './sanitize-untrusted.ts';
import type { StepContext, StepResult } from './step-context.ts';

/**
 * The `approver` step: the gate's `ai:<provider>` judges the content `state.wait.of` names (the response when
 * absent): a text's comment as it stands, or a pull request at its current head. Content that changed since the
 * dispatch is not judged (the app asks again). An answer that cannot be read is a rejection, never an approval.
 */
export async function approverStep(ctx: StepContext): Promise<StepResult> {
  const { stage, workflow, state, models } = ctx;
  const wait = state.wait;
  const of = wait?.for === 'action' && wait.of !== undefined ? wait.of : 'response';
  const gate = of === 'prompt' ? stage.prompt_gate : stage.gate;
  if (!gate.approver.startsWith('ai:')) {
    throw new ActionError(`the ${of} gate of "${stage.id}" is ${gate.approver}, not an AI approver`);
  }
  const name = gate.approver.slice('ai:'.length);
  const provider = workflow.providers[name];
  if (provider === undefined || provider.use === 'command') {
    throw new ActionError(
      `the approver ${gate.approver} of "${stage.id}" must name a model provider of the workflow${provider === undefined ? '' : `, not the agent "${name}"`}`,
    );
  }
  const judged = await judgedContent(ctx, of);
  if ('stale' in judged) return { kind: 'stale', reason: judged.stale };
  const askHuman = askHumanOffered(stage, 'approver', of);
  const asked = (ctx.record.asked ?? []).filter(
    (a) => a.from === 'approver' && a.step === of && a.attempt === ctx.dispatch.attempt,
  );

  const prompt = approverPrompt({
    workflow,
    stage,
    of,
    content: judged.content,
    ...(of === 'response' ? await askedFor(ctx) : {}),
    subject: `${state.subject.kind === 'pull_request' ? 'pull request' : 'issue'} #${state.subject.number}`,
    asked,
  });
  const system = approverSystemPrompt();
  const estimate = estimateCall(provider, models.estimateTokens(`${system}\n\n${prompt}`));
  const call = fitCall(workflow, state, provider, estimate);
  const stop = budgetStop(
    workflow,
    state,
    call,
    `the call to the approver "${name}" for stage "${stage.id}"`,
  );
  if (stop !== undefined) throw new ActionError(stop);

  ctx.log.info(`asking the approver "${name}" to judge the ${of} of "${stage.id}"`);
  const maxOutputTokens = call.outputTokens;
  const verdict = await models.askApprover(
    {
      name,
      provider,
      system,
      prompt,
      env: ctx.env,
      maxOutputTokens,
      purpose: { stage: stage.id, attempt: ctx.dispatch.attempt, as: 'approver', of },
    },
    { askHuman },
  );
  if (askHuman && verdict.decision === 'ask_human' && verdict.malformed === undefined && verdict.question) {
    ctx.log.info(`the approver "${name}" asks a person about the ${of} of "${stage.id}"`);
    const ask_human = { question: cutQuestion(verdict.question) };
    return {
      kind: 'approver',
      decision: 'ask_human',
      feedback: '',
      ask_human,
      usage: verdict.usage,
      approver: gate.approver,
    };
  }
  // src/providers reads the answer; one it cannot read comes back rejected, with why in the feedback.
  const readable = verdict.malformed === undefined && ['approved', 'rejected'].includes(verdict.decision);
  const decision = readable && verdict.decision === 'approved' ? 'approved' : 'rejected';
  const feedback =
    readable || verdict.malformed !== undefined
      ? verdict.feedback
      : `The answer of the AI approver "${name}" could not be read, so it counts as a rejection.`;
  if (!readable)
    ctx.log.warning(
      `the answer of the approver "${name}" could not be read: ${verdict.malformed ?? verdict.decision}`,
    );
  ctx.log.info(`the approver "${name}" ${decision} the ${of} of "${stage.id}"`);
  return { kind: 'approver', decision, feedback, usage: verdict.usage, approver: gate.approver };
}

async function judgedContent(
  ctx: StepContext,
  of: 'prompt' | 'response',
): Promise<{ content: string } | { stale: string }> {
  const recorded = of === 'prompt' ? ctx.record.prompt : ctx.record.output;
  if (recorded === undefined || recorded.attempt !== ctx.dispatch.attempt) {
    throw new ActionError(
      `there is no ${of} of "${ctx.stage.id}" for attempt ${ctx.dispatch.attempt} to judge`,
    );
  }
  const pullNumber = recorded.pointer.pull_number;
  if (of === 'response' && pullNumber !== undefined) {
    const ref = { ...ctx.issue, number: pullNumber };
    const [pull, info, files] = await Promise.all([
      getIssue(ctx.octokit, ref),
      getPull(ctx.octokit, ref),
      listPullFiles(ctx.octokit, ref),
    ]);
    if (info.headSha !== recorded.sha256) {
      return { stale: `pull request #${pullNumber} moved to ${info.headSha} since the dispatch` };
    }
    return { content: pullRequestContent(pull, info.headSha, files) };
  }
  const read = readOutputText(ctx.comments, recorded.pointer, `the ${of} of "${ctx.stage.id}"`);
  if (!read.ok) throw new ActionError(read.error);
  if (read.sha256 !== recorded.sha256)
    return { stale: `the ${of} of "${ctx.stage.id}" was edited since the dispatch` };
  return { content: sanitizeUntrusted(read.text) };
}

/**
 * What the stage asked for, shown to the approver beside the output: the prompt of the attempt; for a manual
 * stage, its instructions as the person was shown them, or nothing when it has none (a person's content needs no
 * prompt).
 */
async function askedFor(ctx: StepContext): Promise<{ prompt?: string }> {
  if (ctx.stage.mode === 'manual' && (ctx.stage.instructions ?? '').trim() === '') return {};
  return { prompt: await attemptPrompt(ctx) };
}
