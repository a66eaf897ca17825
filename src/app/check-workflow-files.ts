import { workflowCheck } from '../core/render/workflow-check.ts';
import type { KeyedCache } from '../github/keyed-cache.ts';
import { publishCheckRun } from '../github/publish-check-run.ts';
import type { Octo, RepoRef } from '../github/types.ts';
import { loadRepoWorkflows } from '../reconcile/load-repo-workflows.ts';

/** The name of the check run that reports on the workflow files; a branch protection rule can require it. */
export const WORKFLOW_CHECK = 'flowgate: workflow files';

/** Where workflow files live; a change under it (or to a file they extend from there) asks for the check. */
const DIRECTORY = '.github/flowgate/';

/** What a push or a pull request event says about the commit to check. */
export interface CheckRequest {
  repo: RepoRef;
  headSha: string;
  /** The paths the event says changed; undefined when it cannot say (a push of more than 20 commits). */
  changed: string[] | undefined;
  /** A change that touches no workflow file still gets a (passing) check run: a pull request's required check. */
  reportUnchanged?: boolean;
}

/** Whether any of `paths` is under `.github/flowgate/`. */
export function changesWorkflowFiles(paths: string[]): boolean {
  return paths.some((path) => path.startsWith(DIRECTORY));
}

/**
 * Checks the workflow files at a pushed commit with the same loader and lint as `flowgate validate`, and reports
 * on a check run at that commit: each finding an annotation at its file, line and column, a failure when a file has
 * errors. Only when the event changed something under `.github/flowgate/` (or cannot say what it changed); a pull
 * request that changed nothing there gets a passing check run (`reportUnchanged`) when the repository has workflow
 * files at all. Cost: 1 GET for the directory and 1 per file not seen before, 1 POST, 1 PATCH per 50 annotations
 * past the first.
 */
export async function checkWorkflowFiles(
  octokit: Octo,
  request: CheckRequest,
  blobs: KeyedCache<string>,
): Promise<boolean> {
  if (request.changed !== undefined && !changesWorkflowFiles(request.changed)) {
    if (request.reportUnchanged !== true) return false;
    // A repository that has no flowgate workflow gets no check on its pull requests.
    const files = await loadRepoWorkflows(octokit, request.repo, request.headSha, blobs, 'same-repository');
    if (files.length === 0) return false;
    await publishCheckRun(octokit, request.repo, {
      name: WORKFLOW_CHECK,
      headSha: request.headSha,
      conclusion: 'success',
      title: 'No workflow file changed',
      summary: `This pull request changes nothing under \`${DIRECTORY}\`.`,
      annotations: [],
    });
    return true;
  }
  const files = await loadRepoWorkflows(octokit, request.repo, request.headSha, blobs, 'same-repository');
  const check = workflowCheck(files);
  await publishCheckRun(octokit, request.repo, { name: WORKFLOW_CHECK, headSha: request.headSha, ...check });
  return true;
}

/** The request of a `push` webhook: the commit pushed, and the paths its commits touched. */
export function pushCheckRequest(payload: {
  after?: string;
  deleted?: boolean;
  repository: { name: string; owner: { login?: string; name?: string | null } | null };
  commits?: { added?: string[]; modified?: string[]; removed?: string[] }[];
}): CheckRequest | undefined {
  const owner = payload.repository.owner?.login ?? payload.repository.owner?.name ?? undefined;
  if (
    payload.deleted === true ||
    payload.after === undefined ||
    /^0+$/.test(payload.after) ||
    owner === undefined
  )
    return undefined;
  const commits = payload.commits ?? [];
  // A push webhook lists at most 20 commits: past that, what changed is unknown and the files are checked anyway.
  const changed =
    commits.length >= 20
      ? undefined
      : commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
  return { repo: { owner, repo: payload.repository.name }, headSha: payload.after, changed };
}
