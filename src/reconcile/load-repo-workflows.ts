import { dirname, join, normalize } from 'node:path/posix';
import type { Diagnostic } from '../core/diagnostic.ts';
import { parseExtendsRef } from '../core/load/extends-ref.ts';
import { loadWorkflow } from '../core/load/load-workflow.ts';
import type { Workflow } from '../core/workflow.ts';
import type { KeyedCache } from '../github/keyed-cache.ts';
import type { WorkflowListing } from '../github/list-workflow-directory.ts';
import { readRepoFile } from '../github/read-repo-file.ts';
import { readWorkflowFiles } from '../github/read-workflow-files.ts';
import type { Octo, RepoRef } from '../github/types.ts';

export interface RepoWorkflow {
  path: string;
  /** The blob sha of the file: a run keeps the definition it started with. */
  sha: string;
  workflow?: Workflow;
  diagnostics: Diagnostic[];
  /** The file's text, for a file with errors to be recognised by its name, command or label (broken-workflow.ts). */
  text: string;
}

/**
 * Every workflow in `.github/flowgate/` on `ref`, loaded and linted; file texts are cached by blob sha, and with
 * `listings` the directory listing is a conditional request (free while nothing there changed).
 */
export async function loadRepoWorkflows(
  octokit: Octo,
  repo: RepoRef,
  ref: string,
  blobs: KeyedCache<string>,
  /**
   * Whether `extends` may name a file in another repository. A commit anyone with write access pushed to any branch
   * must not make flowgate read, and report, files of other repositories its installation can read: the check of a
   * pushed commit says `same-repository`. Default: `any` (the default branch, which maintainers merge into).
   */
  remote: 'any' | 'same-repository' = 'any',
  listings?: KeyedCache<WorkflowListing>,
): Promise<RepoWorkflow[]> {
  const files = await readWorkflowFiles(octokit, repo, ref, blobs, listings);
  const readSource = sourceReader(octokit, repo, ref, new Map(files.map((f) => [f.path, f.text])), remote);
  return Promise.all(
    files.map(async (file) => {
      const { workflow, diagnostics } = await loadWorkflow(file.path, file.text, { readSource });
      return {
        path: file.path,
        sha: file.sha,
        text: file.text,
        ...(workflow === undefined ? {} : { workflow }),
        diagnostics,
      };
    }),
  );
}

/**
 * How `extends` finds its files: remote references from their repository, local paths relative to the file that
 * names them (from `byPath` when already read, else from the repository at `ref`).
 */
export function sourceReader(
  octokit: Octo,
  repo: RepoRef,
  ref: string,
  byPath: Map<string, string>,
  remote: 'any' | 'same-repository' = 'any',
) {
  return async (reference: string, from: string) => {
    const target = parseExtendsRef(reference);
    if ('remote' in target) {
      const elsewhere =
        target.remote.owner.toLowerCase() !== repo.owner.toLowerCase() ||
        target.remote.repo.toLowerCase() !== repo.repo.toLowerCase();
      if (remote === 'same-repository' && elsewhere) {
        throw new Error(
          'a pushed commit is checked without reading other repositories; the file is read when a run starts from the default branch',
        );
      }
      const text = await readRepoFile(octokit as never, target.remote);
      return { name: reference, text };
    }
    const path = normalize(join(dirname(from), target.local));
    const known = byPath.get(path);
    const text = known ?? (await readRepoFile(octokit as never, { ...repo, path, ref }));
    return { name: path, text };
  };
}
