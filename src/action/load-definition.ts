import { dirname, join, normalize } from 'node:path/posix';
import { formatDiagnostic } from '../core/diagnostic.ts';
import { parseExtendsRef } from '../core/load/extends-ref.ts';
import { loadWorkflow } from '../core/load/load-workflow.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import { readRepoFile } from '../github/read-repo-file.ts';
import { readBlobText } from '../github/read-workflow-files.ts';
import { requestStatus } from '../github/request-status.ts';
import type { Octo, RepoRef } from '../github/types.ts';
import { ActionError } from './action-error.ts';

/**
 * The workflow definition the run started with: the git blob `state.definition` (the app records the workflow
 * file's blob sha), loaded and linted like any workflow file. Files it `extends:` are read from the default
 * branch (a relative path from `.github/flowgate/`). `path` only names the file in messages and places relative
 * `extends:`; it defaults to `.github/flowgate/<workflow name>.yml`.
 * Cost: 1 GET, plus 1 per extended file.
 */
export async function loadDefinition(
  octokit: Octo,
  repo: RepoRef,
  state: RunState,
  path = `.github/flowgate/${state.workflow}.yml`,
): Promise<Workflow> {
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(state.definition)) {
    throw new ActionError(
      `the run's workflow definition ${JSON.stringify(state.definition)} is not a git blob sha, so the Action cannot read it`,
    );
  }
  const text = await readBlobText(octokit, repo, state.definition, new Map()).catch((error: unknown) => {
    if (requestStatus(error) === 404 || requestStatus(error) === 422) return undefined;
    throw error;
  });
  if (text === undefined) {
    throw new ActionError(
      `the workflow definition run ${state.id} started with (blob ${state.definition} of ${path}) is no longer in ${repo.owner}/${repo.repo}`,
    );
  }
  const readSource = async (reference: string, from: string) => {
    const target = parseExtendsRef(reference);
    if ('remote' in target) return { name: reference, text: await readRepoFile(octokit, target.remote) };
    const local = normalize(join(dirname(from), target.local));
    return { name: local, text: await readRepoFile(octokit, { ...repo, path: local }) };
  };
  const { workflow, diagnostics } = await loadWorkflow(path, text, { readSource });
  if (workflow === undefined) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    throw new ActionError(
      `the workflow definition of run ${state.id} has errors:\n${errors.map(formatDiagnostic).join('\n')}`,
      errors.map((d) => ({ message: d.message, file: d.file, line: d.line, col: d.col })),
    );
  }
  return workflow;
}
