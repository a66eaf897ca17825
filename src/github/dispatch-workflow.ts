import { requestStatus } from './request-status.ts';
import type { Octo, RepoRef } from './types.ts';

export interface DispatchParams {
  /** The workflow's file name (`flowgate.yml`); a `.github/workflows/` prefix is accepted and dropped. */
  workflowFile: string;
  /** The branch or tag whose version of the workflow runs. */
  ref: string;
  /** At most 25 inputs, each declared under `on.workflow_dispatch.inputs` in the workflow. */
  inputs: Record<string, string>;
}

/**
 * Starts a GitHub Actions workflow through `workflow_dispatch`. Failures GitHub explains only tersely are
 * rethrown as Errors saying what to fix: 404 (the workflow file is not there), 422 (the workflow has no
 * `workflow_dispatch` trigger, declares other inputs, or the ref does not exist), 403 (the app lacks
 * "Actions: write"). The original error is kept as `cause`.
 * Cost: 1 POST.
 */
export async function dispatchWorkflow(octokit: Octo, repo: RepoRef, params: DispatchParams): Promise<void> {
  const file = params.workflowFile.replace(/^\.github\/workflows\//, '');
  try {
    await octokit.rest.actions.createWorkflowDispatch({
      owner: repo.owner,
      repo: repo.repo,
      workflow_id: file,
      ref: params.ref,
      inputs: params.inputs,
    });
  } catch (error) {
    const explained = explain(error, `${repo.owner}/${repo.repo}`, file, params);
    if (explained === undefined) throw error;
    throw new Error(explained, { cause: error });
  }
}

function explain(error: unknown, fullName: string, file: string, params: DispatchParams): string | undefined {
  const path = `.github/workflows/${file}`;
  const github = error instanceof Error ? ` (GitHub: ${error.message})` : '';
  switch (requestStatus(error)) {
    case 404:
      return (
        `cannot start ${path} in ${fullName}: the workflow file is missing on ${params.ref}. ` +
        `Add ${path} with an \`on: workflow_dispatch\` trigger and the flowgate inputs (see the flowgate README), ` +
        `push it to ${params.ref} and to the default branch (GitHub dispatches only workflows the default branch has), then retry.`
      );
    case 422:
      return (
        `cannot start ${path} in ${fullName} on ${params.ref}${github}. ` +
        'The workflow needs an `on: workflow_dispatch` trigger that declares the inputs ' +
        `${Object.keys(params.inputs).join(', ') || '(none)'}, and the ref must exist.`
      );
    case 403:
      return `cannot start ${path} in ${fullName}${github}. The GitHub App needs the "Actions: write" permission.`;
    default:
      return undefined;
  }
}
