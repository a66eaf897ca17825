import * as core from '@actions/core';
import type { CodeStageRunner } from './code-stage.ts';
import type { GitHubInputs } from './inputs.ts';
import { codeStageRunner } from './run-code-stage.ts';

/** The code stage runner of a job: the agent of src/agent in GITHUB_WORKSPACE, its pull request into `baseBranch`. */
export function jobCodeStage(
  env: NodeJS.ProcessEnv,
  github: GitHubInputs,
  baseBranch: string | undefined,
): CodeStageRunner {
  return codeStageRunner({
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    baseBranch,
    jobSha: env.GITHUB_SHA,
    remoteUrl: `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${github.repo.owner}/${github.repo.repo}.git`,
    token: github.token,
    ...(github.runUrl === undefined ? {} : { runUrl: github.runUrl }),
    parentEnv: env,
    onOutput: (stream, text) => process[stream].write(text),
    log: { info: core.info, warning: core.warning },
  });
}
