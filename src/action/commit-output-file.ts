import { fileOutputPath, runBranch } from '../core/file-output.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Stage } from '../core/workflow.ts';
import { CommitFileError, commitFile } from '../github/commit-file.ts';
import type { Octo, RepoRef } from '../github/types.ts';
import type { CommittedOutputFile } from '../reconcile/file-heading.ts';
import { ActionError } from './action-error.ts';
import type { DispatchInputs } from './inputs.ts';
import type { Log } from './step-context.ts';

/**
 * For a stage with `output: file:<path>`: commits the response (secrets already redacted) to the run's branch,
 * `flowgate/<run id>`, made from the default branch the first time. Later attempts of the stage update the same
 * file; a re-run with the same text commits nothing. Undefined for other outputs. A refusal is an ActionError.
 */
export async function commitOutputFile(params: {
  octokit: Octo;
  repo: RepoRef;
  state: RunState;
  stage: Stage;
  dispatch: DispatchInputs;
  text: string;
  log: Log;
}): Promise<CommittedOutputFile | undefined> {
  const path = fileOutputPath(params.stage.output);
  if (path === undefined) return undefined;
  const { state, stage, dispatch } = params;
  const branch = runBranch(state.id);
  try {
    const done = await commitFile(params.octokit, params.repo, {
      branch,
      path,
      text: params.text,
      message: `flowgate: ${stage.id} of #${state.subject.number} (attempt ${dispatch.attempt})\n\nRun ${state.id}, workflow ${state.workflow}.`,
    });
    params.log.info(
      done.changed
        ? `committed ${path} to ${branch} (${done.commit.slice(0, 12)}${done.createdBranch ? ', a new branch' : ''})`
        : `${path} on ${branch} already holds this text; nothing to commit`,
    );
    return { path, branch, commit: done.commit, url: done.url };
  } catch (error) {
    if (error instanceof CommitFileError) {
      throw new ActionError(
        `the response of "${stage.id}" could not be written to ${path}: ${error.message} (the workflow's token needs contents: write)`,
      );
    }
    throw error;
  }
}
