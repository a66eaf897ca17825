import { askHumanOffered, parseAskHuman } from '../core/ask-human.ts';
import type { CommandProvider } from '../core/schema/provider.ts';
import { parseVerdict } from '../core/verdict.ts';
import { readOutputText } from '../reconcile/read-output-text.ts';
import { ActionError } from './action-error.ts';
import { attemptPrompt } from './attempt-prompt.ts';
import { budgetStop, estimateCall } from './budget-stop.ts';
import { fitCall } from './fit-call.ts';
import { handedOnPrompt } from './handed-on-prompt.ts';
import { answeredPrompt, parseChoice, responseSystemPrompt, retryPrompt } from './model-prompts.ts';
import type { ModelProvider } from './model-types.ts';
import type { StepContext, StepResult } from './step-context.ts';

/**
 * The `response` step: the attempt's prompt (the retry prompt when the stage has feedback) answered by the
 * stage's provider, with the verdict of a `verdict: true` stage and the choice among `when_ai` transitions.
 * A `command` provider runs a code stage instead. The call is checked against the run's budget first.
 */
export async function responseStep(ctx: StepContext): Promise<StepResult> {
  const { stage, workflow } = ctx;
  const name = stage.provider;
  const provider = name === undefined ? undefined : workflow.providers[name];
  if (name === undefined || provider === undefined) {
    throw new ActionError(
      `stage "${stage.id}" has no provider${name === undefined ? '' : ` (it names "${name}", which the workflow does not declare)`}`,
    );
  }
  const prompt = await promptWithFeedback(ctx);
  if (provider.use === 'command') return codeStage(ctx, name, provider, prompt);
  return modelResponse(ctx, name, provider, prompt);
}

async function modelResponse(
  ctx: StepContext,
  name: string,
  provider: ModelProvider,
  prompt: string,
): Promise<StepResult> {
  const { stage, workflow, models } = ctx;
  const system = responseSystemPrompt(workflow, stage);
  const estimate = estimateCall(provider, models.estimateTokens(`${system}\n\n${prompt}`));
  const call = fitCall(workflow, ctx.state, provider, estimate);
  const stop = budgetStop(workflow, ctx.state, call, `the call to "${name}" for stage "${stage.id}"`);
  if (stop !== undefined) throw new ActionError(stop);
  ctx.log.info(`asking "${name}" (${provider.use}/${provider.model}) for the response of "${stage.id}"`);
  const maxOutputTokens = call.outputTokens;
  const answer = await models.callModel({
    name,
    provider,
    system,
    prompt,
    env: ctx.env,
    maxOutputTokens,
    purpose: { stage: stage.id, attempt: ctx.dispatch.attempt, as: 'response' },
  });
  ctx.log.info(
    `"${name}" answered with ${answer.text.length} characters (${answer.usage.tokens_in} tokens in, ${answer.usage.tokens_out} out)`,
  );
  // Where the gate sets `ask_human`, a last line `Ask a human: <question>` asks people instead of answering.
  const question = askHumanOffered(stage, 'model', 'response') ? parseAskHuman(answer.text) : undefined;
  if (question !== undefined) {
    ctx.log.info(`"${name}" asks a person instead of answering "${stage.id}"`);
    return { kind: 'response', text: answer.text, usage: answer.usage, ask_human: { question } };
  }
  const verdict = stage.verdict ? parseVerdict(answer.text) : undefined;
  if (stage.verdict && verdict === undefined) {
    ctx.log.warning(
      `the response of "${stage.id}" states no verdict (PASS or FAIL); it is posted without one`,
    );
  }
  const choice = parseChoice(answer.text, stage);
  return {
    kind: 'response',
    text: answer.text,
    usage: answer.usage,
    ...(verdict === undefined ? {} : { verdict }),
    ...(choice === undefined ? {} : { choice }),
  };
}

// ─── Code stages ──────────────────────────────────────────────────────────────────────────────────────────────
// The branch point for `command` providers: the agent edits the checked-out repository and its changes are
// published as a pull request (src/agent). The runner passes `runCodeStage` in; without it, code stages fail
// with a clear message.
async function codeStage(
  ctx: StepContext,
  name: string,
  provider: CommandProvider,
  prompt: string,
): Promise<StepResult> {
  if (ctx.runCodeStage === undefined) {
    throw new ActionError(
      `stage "${ctx.stage.id}" is a code stage (provider "${name}" runs \`${provider.run}\`), and this version of the flowgate Action cannot run agents yet`,
    );
  }
  const result = await ctx.runCodeStage({
    octokit: ctx.octokit,
    issue: ctx.issue,
    workflow: ctx.workflow,
    state: ctx.state,
    stage: ctx.stage,
    name,
    provider,
    prompt,
    env: ctx.env,
  });
  return { kind: 'response', ...result };
}

/**
 * The attempt's prompt; after the model asked people, with the questions and answers; for a retry, with the
 * rejected output, the feedback and a request to redo; for a stage an override's note was handed to, with the note.
 */
async function promptWithFeedback(ctx: StepContext): Promise<string> {
  const prompt = await attemptPrompt(ctx);
  const asked = (ctx.record.asked ?? []).filter((a) => a.from === 'model');
  if (asked.at(-1)?.attempt === ctx.dispatch.attempt - 1) {
    ctx.log.info(
      `building the prompt of "${ctx.stage.id}" with the answer to its question (attempt ${ctx.dispatch.attempt})`,
    );
    return answeredPrompt(prompt, asked);
  }
  const feedback = ctx.record.feedback;
  if (feedback === undefined) return prompt;
  const from = ctx.record.feedback_from;
  if (from !== undefined && from !== ctx.stage.id) {
    ctx.log.info(`adding the note of the override of "${from}" to the prompt of "${ctx.stage.id}"`);
    return handedOnPrompt({ prompt, note: feedback, from });
  }
  const output = ctx.record.output;
  let rejected: string | undefined;
  if (output !== undefined && output.attempt < ctx.dispatch.attempt) {
    const read = readOutputText(ctx.comments, output.pointer, `the rejected output of "${ctx.stage.id}"`);
    if (read.ok) rejected = read.text;
    else ctx.log.warning(`the retry prompt goes without the rejected output: ${read.error}`);
  }
  ctx.log.info(`building the retry prompt of "${ctx.stage.id}" (attempt ${ctx.dispatch.attempt})`);
  return retryPrompt({ prompt, feedback, ...(rejected === undefined ? {} : { rejected }) });
}
