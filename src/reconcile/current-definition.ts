import type { Diagnostic } from '../core/diagnostic.ts';
import { loadWorkflow } from '../core/load/load-workflow.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import { listWorkflowDirectory, type WorkflowEntry } from '../github/list-workflow-directory.ts';
import { readBlobText } from '../github/read-workflow-files.ts';
import type { Octo, RepoRef } from '../github/types.ts';
import { brokenFileNamed } from './broken-workflow.ts';
import { type RepoWorkflow, sourceReader } from './load-repo-workflows.ts';
import type { ReconcileDeps } from './reconcile-deps.ts';
import { rememberDefinition } from './run-definition.ts';

/** How the workflow a run follows stands on the default branch, next to the definition the run holds. */
export type CurrentDefinition =
  /** The run's blob is still a workflow file there: nothing changed. */
  | { kind: 'same' }
  /** The workflow of the run's name is another blob now, and it loads. */
  | { kind: 'changed'; sha: string; path: string; workflow: Workflow }
  /** The file of the run's workflow changed and does not load (errors). */
  | { kind: 'broken'; sha: string; path: string; diagnostics: Diagnostic[] }
  /** No workflow file of the run's name is left (deleted, or renamed to another `name`). */
  | { kind: 'gone' };

/**
 * The workflow of the run's name on the default branch (`repo.ref`), compared with the blob the run pinned
 * (`state.definition`). Only the default branch counts: a push to another branch changes no running run.
 * The listing of `.github/flowgate/` is a conditional request with `deps.listings` (free while nothing there
 * changed), or the one the caller read (`deps.workflows`); the run's blob found in it means nothing changed. Else
 * the files are read and loaded, `<workflow>.yml` first, until the one of the run's name is found (texts and
 * loaded definitions are cached by blob sha).
 * Cost: 1 GET (free when unchanged, none with `deps.workflows`); when something changed, 1 GET per file not seen
 * before, until the run's workflow is found.
 */
export async function currentDefinition(
  octokit: Octo,
  repo: RepoRef & { ref: string },
  state: Pick<RunState, 'workflow' | 'definition'>,
  deps: Pick<ReconcileDeps, 'blobs' | 'definitions' | 'listings' | 'workflows'>,
): Promise<CurrentDefinition> {
  const listed: readonly WorkflowEntry[] =
    deps.workflows ?? (await listWorkflowDirectory(octokit, repo, repo.ref, deps.listings));
  if (listed.some((entry) => entry.sha === state.definition)) return { kind: 'same' };
  const usual = (entry: WorkflowEntry) =>
    (entry.path.split('/').at(-1) ?? '').replace(/\.ya?ml$/i, '').toLowerCase() ===
    state.workflow.toLowerCase();
  const ordered = [...listed.filter(usual), ...listed.filter((entry) => !usual(entry))];
  const broken: RepoWorkflow[] = [];
  for (const entry of ordered) {
    const file = await loadEntry(octokit, repo, entry, deps);
    if (file.workflow?.name === state.workflow) {
      return { kind: 'changed', sha: file.sha, path: file.path, workflow: file.workflow };
    }
    if (file.workflow === undefined) broken.push(file);
  }
  const named = brokenFileNamed(broken, state.workflow);
  if (named === undefined) return { kind: 'gone' };
  return {
    kind: 'broken',
    sha: named.sha,
    path: named.path,
    diagnostics: named.diagnostics.filter((d) => d.severity === 'error'),
  };
}

/** One workflow file, loaded: from the caller's workflows, from the definitions cache, or read by its blob. */
async function loadEntry(
  octokit: Octo,
  repo: RepoRef & { ref: string },
  entry: WorkflowEntry | RepoWorkflow,
  deps: Pick<ReconcileDeps, 'blobs' | 'definitions'>,
): Promise<RepoWorkflow> {
  if ('diagnostics' in entry) return entry;
  const known = deps.definitions.get(entry.sha);
  if (known !== undefined) return { ...entry, workflow: known, diagnostics: [], text: '' };
  const text = await readBlobText(octokit, repo, entry.sha, deps.blobs);
  const readSource = sourceReader(octokit, repo, repo.ref, new Map());
  const { workflow, diagnostics } = await loadWorkflow(entry.path, text, { readSource });
  if (workflow !== undefined) rememberDefinition(deps.definitions, entry.sha, workflow);
  return { ...entry, text, diagnostics, ...(workflow === undefined ? {} : { workflow }) };
}
