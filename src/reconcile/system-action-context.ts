import { promptContext } from '../action/prompt-context.ts';
import { readRunPull } from '../action/read-run-pull.ts';
import { readSubjectFacts } from '../action/subject-facts.ts';
import type { Stage } from '../core/workflow.ts';
import { listIssueCommentsSince } from '../github/list-issue-comments.ts';
import { acceptedOutputs } from './accepted-outputs.ts';
import type { EffectContext } from './effect-context.ts';
import type { SystemActionContext } from './inert-comment-context.ts';
import type { RunWork } from './reconcile-deps.ts';
import { unfenceValues } from './unfence-values.ts';

/**
 * The template context of a system action's `comment` and `dispatch.inputs`: every variable a stage's
 * `instructions` read (TEMPLATE_VARIABLES: subject, workflow, run, stage, outputs, feedback, ask_human, pr,
 * comments), built by the prompts' own `promptContext` over the same reads, so with the same sanitising and bounds
 * (hidden Markdown removed, the diff summary's patches bounded); only the data fences a prompt puts around values
 * are left out (`unfenceValues`), as a comment is no prompt. An output edited after the run accepted it is refused,
 * as the Action refuses it. Cost: the subject's comments in full (one GET per 100: the reconcile's own listing may
 * hold only the latest), the subject's reads (`readSubjectFacts`: 1 GET for an issue, 2 more and one per 100
 * changed files for a pull request) and the run's pull request's (`readRunPull`).
 */
export async function systemActionContext(
  w: RunWork,
  c: EffectContext,
  stage: Stage,
): Promise<SystemActionContext> {
  return unfenceValues(await stageTemplateContext(w, c, stage)) as SystemActionContext;
}

/**
 * The template context of `stage` exactly as the Action builds a prompt's (`promptContext`, data fences included),
 * read in full from GitHub: the reconcile's own listing may be incremental (the app's) and lack the older outputs.
 * Throws when an output the run accepted was edited since. Cost: as `systemActionContext`.
 */
export async function stageTemplateContext(
  w: RunWork,
  c: EffectContext,
  stage: Stage,
): Promise<Record<string, unknown>> {
  const { comments } = await listIssueCommentsSince(c.octokit, c.issue);
  const read = acceptedOutputs(w.state, comments);
  if (!read.ok) throw new Error(read.error);
  const facts = await readSubjectFacts(c.octokit, c.issue);
  const runPull = await readRunPull(c.octokit, c.issue, w.state, facts);
  return promptContext({
    workflow: w.workflow,
    state: w.state,
    stage,
    facts,
    comments,
    outputs: read.outputs,
    ...(runPull === undefined ? {} : { runPull }),
  });
}
