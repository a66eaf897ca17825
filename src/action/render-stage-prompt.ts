import { promptContext } from './prompt-context.ts';
import { readOutputs } from './read-outputs.ts';
import { readRunPull } from './read-run-pull.ts';
import { renderPrompt } from './render-prompt.ts';
import type { StepContext } from './step-context.ts';
import { readSubjectFacts } from './subject-facts.ts';

/**
 * The current stage's instructions rendered now, over the subject as GitHub holds it and the earlier outputs.
 * Cost: the subject's reads (see `readSubjectFacts`; none for an issue the job read already, `ctx.subject`), and
 * the run's pull request's when that is not the subject (see `readRunPull`).
 */
export async function renderStagePrompt(ctx: StepContext): Promise<string> {
  const facts = await readSubjectFacts(ctx.octokit, ctx.issue, ctx.subject);
  const runPull = await readRunPull(ctx.octokit, ctx.issue, ctx.state, facts);
  const outputs = readOutputs(ctx.state, ctx.comments);
  const context = promptContext({
    workflow: ctx.workflow,
    state: ctx.state,
    stage: ctx.stage,
    facts,
    comments: ctx.comments,
    outputs,
    ...(runPull === undefined ? {} : { runPull }),
  });
  return renderPrompt(ctx.stage, context);
}
