import { loadWorkflow } from '../core/load/load-workflow.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import type { KeyedCache } from '../github/keyed-cache.ts';
import { readBlobText } from '../github/read-workflow-files.ts';
import { requestStatus } from '../github/request-status.ts';
import type { Octo, RepoRef } from '../github/types.ts';
import { type RepoWorkflow, sourceReader } from './load-repo-workflows.ts';

/** Loaded definitions by blob sha, shared across deliveries: the same sha is the same workflow. */
export type DefinitionCache = Map<string, Workflow>;

/** Definitions kept in memory before the oldest are forgotten. */
const DEFINITIONS_KEPT = 500;

/**
 * The workflow a run follows: the definition it started with (`state.definition`, a blob sha), read by that sha
 * so that an ongoing run needs no listing of `.github/flowgate/`. When that blob cannot be read or no longer
 * loads, the workflow of the same name on the default branch (`current`) stands in.
 * Cost: 0 REST calls for a definition seen before, else 1 GET (plus files it `extends`).
 */
export async function runDefinition(
  octokit: Octo,
  repo: RepoRef & { ref: string },
  state: RunState,
  cache: { blobs: KeyedCache<string>; definitions: DefinitionCache },
  current: () => Promise<RepoWorkflow[]>,
): Promise<Workflow | undefined> {
  const known = cache.definitions.get(state.definition);
  if (known !== undefined) return known;
  const loaded = await loadBlob(octokit, repo, state, cache.blobs);
  if (loaded !== undefined) {
    rememberDefinition(cache.definitions, state.definition, loaded);
    return loaded;
  }
  const all = await current();
  const same = all.find((w) => w.sha === state.definition && w.workflow !== undefined);
  return (same ?? all.find((w) => w.workflow?.name === state.workflow))?.workflow;
}

/** Keeps a loaded definition by its blob sha, forgetting the oldest past `DEFINITIONS_KEPT`. */
export function rememberDefinition(definitions: DefinitionCache, sha: string, workflow: Workflow): void {
  if (!definitions.has(sha) && definitions.size >= DEFINITIONS_KEPT) {
    const oldest = definitions.keys().next().value;
    if (oldest !== undefined) definitions.delete(oldest);
  }
  definitions.set(sha, workflow);
}

async function loadBlob(
  octokit: Octo,
  repo: RepoRef & { ref: string },
  state: RunState,
  blobs: KeyedCache<string>,
): Promise<Workflow | undefined> {
  let text: string;
  try {
    text = await readBlobText(octokit, repo, state.definition, blobs);
  } catch (error) {
    if (requestStatus(error) === 404 || requestStatus(error) === 422) return undefined;
    throw error;
  }
  // The file's name is not in the state; relative `extends` resolve from the workflow directory all the same.
  const path = `.github/flowgate/${state.workflow}.yml`;
  const readSource = sourceReader(octokit, repo, repo.ref, new Map());
  const { workflow } = await loadWorkflow(path, text, { readSource });
  return workflow;
}
