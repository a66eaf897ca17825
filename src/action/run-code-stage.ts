import { randomUUID } from 'node:crypto';
import { publishChanges } from '../agent/publish-changes.ts';
import { agentUsage, type IterationRecord, runAgent } from '../agent/run-agent.ts';
import { type ModelUsage, NO_USAGE } from '../providers/types.ts';
import { ActionError } from './action-error.ts';
import type { CodeStageParams, CodeStageResult, CodeStageRunner } from './code-stage.ts';
import { codeStageCheckout } from './code-stage-checkout.ts';
import type { CodeStageSetup } from './code-stage-setup.ts';
import { sanitizeLine } from './sanitize-untrusted.ts';
import type { Log } from './step-context.ts';

/** The commit author of code stages when the Action posts with the job's GITHUB_TOKEN. */
const AUTHOR = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

/**
 * Code stages (docs/code-stages.md): the stage's agent works in the checkout (`runAgent`), then what it changed
 * becomes one commit and is pushed (`publishChanges`). The first code stage of a run commits onto the default
 * branch's head, pushes to `flowgate/<subject>-<stage>` and opens the run's pull request; a later attempt of it
 * pushes over the head the previous one left. Every later code stage of the run commits onto that pull request's
 * head and pushes to its branch (`codeStageCheckout`). Either refuses to push when someone else pushed meanwhile.
 * The checkout counts as trusted only at the commit the job started at, or at a head flowgate pushed for the run;
 * anything else runs without secrets.
 */
export function codeStageRunner(setup: CodeStageSetup): CodeStageRunner {
  return async (params: CodeStageParams): Promise<CodeStageResult> => {
    const { provider, stage, state, issue } = params;
    const baseBranch = setup.baseBranch;
    if (baseBranch === undefined || baseBranch === '') {
      throw new ActionError(
        'GITHUB_REF_NAME is not set, so the code stage does not know which branch its pull request goes into: run the Action in the workflow the app dispatches',
      );
    }
    const { base, trusted, pull } = await codeStageCheckout(setup, params);
    setup.log.info(`running the agent of "${stage.id}" (\`${provider.run}\`) in ${setup.workspace}`);
    // What the agent prints goes to the job log, where a line like `::error::` would be a workflow command:
    // commands are off while it runs.
    const resume = randomUUID();
    setup.onOutput('stdout', `::stop-commands::${resume}\n`);
    const run = await runAgent({
      command: provider.run,
      prompt: params.prompt,
      cwd: setup.workspace,
      maxIterations: provider.max_iterations,
      timeoutMs: provider.timeout_minutes * 60_000,
      passEnv: provider.pass_env ?? [],
      trusted,
      parentEnv: { ...setup.parentEnv },
      onOutput: setup.onOutput,
    }).finally(() => setup.onOutput('stdout', `\n::${resume}::\n`));
    for (const name of run.missingEnv) {
      setup.log.warning(
        `the agent of "${stage.id}" asks for ${name} (pass_env), which this job does not have`,
      );
    }
    if (run.status === 'failed') throw new ActionError(run.message);

    const previous = state.stages[stage.id]?.output;
    const expectedHead =
      pull !== undefined ? base : previous?.pointer.pull_number === undefined ? undefined : previous.sha256;
    const attempt = state.stages[stage.id]?.attempt ?? 1;
    const title = `${stage.name}: ${sanitizeLine(state.subject.title)} (#${state.subject.number})`;
    const published = await publishChanges({
      octokit: params.octokit,
      repo: { owner: issue.owner, repo: issue.repo },
      cwd: setup.workspace,
      base,
      baseBranch: pull?.baseBranch ?? baseBranch,
      ...(pull === undefined ? {} : { branch: pull.branch, pull: { number: pull.number, url: pull.url } }),
      subject: state.subject.number,
      stage: stage.id,
      attempt,
      remoteUrl: setup.remoteUrl,
      token: setup.token,
      ...(expectedHead === undefined ? {} : { expectedHead }),
      author: AUTHOR,
      title,
      summary: run.output,
      ...(setup.runUrl === undefined ? {} : { runUrl: setup.runUrl }),
    });
    if (published.status === 'unchanged') throw new ActionError(published.message);
    const files = published.files_changed.length;
    const did = published.created
      ? 'Opened'
      : pull !== undefined
        ? `Pushed "${stage.id}" (attempt ${attempt}) to`
        : `Pushed attempt ${attempt} to`;
    return {
      text: `${did} #${published.pull_number} (\`${published.branch}\`, ${files} file${files === 1 ? '' : 's'} changed): ${published.pull_url}`,
      usage: codeStageUsage(run.iterations, setup.log, stage.id),
      pull_number: published.pull_number,
      head_sha: published.head_sha,
    };
  };
}

/**
 * What the agent said it used over all iterations (`flowgate: usage` lines, docs/code-stages.md), as the stage's
 * usage; zero when it said nothing. Lines that could not be read are warnings.
 */
function codeStageUsage(iterations: readonly IterationRecord[], log: Log, stageId: string): ModelUsage {
  for (const record of iterations) {
    for (const problem of record.usageProblems ?? []) {
      log.warning(`the agent of "${stageId}", iteration ${record.iteration}: ${problem}`);
    }
  }
  const total = agentUsage(iterations);
  if (total === undefined) return { ...NO_USAGE };
  return { tokens_in: total.tokens_in, tokens_out: total.tokens_out, cost_usd: total.cost_usd ?? 0 };
}
