import { checkOutHead } from '../agent/check-out-head.ts';
import { readHead } from '../agent/read-head.ts';
import { codeStagePull } from '../core/state/run-pull-number.ts';
import { getPull } from '../github/get-pull.ts';
import { ActionError } from './action-error.ts';
import type { CodeStageParams } from './code-stage.ts';
import type { CodeStageSetup } from './code-stage-setup.ts';

/** Where a code stage's agent works, and where its commit goes. */
export interface CodeStageCheckout {
  /** The commit the checkout is at before the agent runs: the new commit's parent. */
  base: string;
  /** Whether that code may run with the provider's secrets. */
  trusted: boolean;
  /** The run's pull request, when an earlier code stage opened it: the commit goes onto its branch. */
  pull?: { number: number; url: string; branch: string; baseBranch: string };
}

/**
 * The checkout a code stage works in. The first code stage of a run works on the job's checkout of the default
 * branch (trusted when it is at the job's commit) and opens the run's pull request; every later code stage of
 * the run (revise, fix) checks out that pull request's head and pushes onto it. That head is trusted when it is a
 * commit flowgate pushed for this run (the state records each), so someone else's push runs without secrets.
 * Cost: none for the first code stage; 1 GET and a git fetch for a later one.
 */
export async function codeStageCheckout(
  setup: CodeStageSetup,
  params: CodeStageParams,
): Promise<CodeStageCheckout> {
  const earlier = codeStagePull(params.state, params.stage.id);
  if (earlier === undefined) {
    const base = await readHead(setup.workspace);
    const trusted = setup.jobSha !== undefined && base === setup.jobSha;
    if (!trusted) {
      setup.log.warning(
        `the checkout is at ${base}, not at the commit this job started at, so the agent runs as on code from a fork: without secrets`,
      );
    }
    return { base, trusted };
  }
  const info = await getPull(params.octokit, { ...params.issue, number: earlier.number });
  if (info.state !== 'open') {
    throw new ActionError(
      `stage "${params.stage.id}" works on the run's pull request #${earlier.number}, which is ${info.merged ? 'merged' : 'closed'}: reopen it, or start a new run`,
    );
  }
  setup.log.info(
    `checking out #${earlier.number} (\`${info.headRef}\`) for "${params.stage.id}": its commit goes onto that pull request`,
  );
  const base = await checkOutHead({
    cwd: setup.workspace,
    remoteUrl: setup.remoteUrl,
    branch: info.headRef,
    token: setup.token,
  });
  const trusted = earlier.heads.includes(base);
  if (!trusted) {
    setup.log.warning(
      `the head of #${earlier.number} is ${base}, a commit flowgate did not push for this run, so the agent runs as on code from a fork: without secrets`,
    );
  }
  return {
    base,
    trusted,
    pull: { number: earlier.number, url: info.url, branch: info.headRef, baseBranch: info.baseRef },
  };
}
