import { type LabelIds, rememberLabelIds } from './label-ids.ts';
import { requestStatus } from './request-status.ts';
import type { Octo, RepoRef } from './types.ts';

export interface LabelSpec {
  /** At most 50 characters. */
  name: string;
  /** Six hex digits, with or without `#`. */
  color: string;
  /** Cut to 100 characters, GitHub's limit. */
  description: string;
}

const MAX_NAME = 50;
const MAX_DESCRIPTION = 100;

/**
 * Creates the labels that are not in `known` (compared case-insensitively, as GitHub compares label names)
 * and adds each created or already existing one to `known`. Label names over 50 characters are refused before
 * any request; descriptions are cut to 100 characters. A 422 `already_exists` counts as present.
 * Returns the names it created.
 * Cost: 1 POST per label missing from `known`, sent one after another.
 */
export async function ensureLabels(
  octokit: Octo,
  repo: RepoRef,
  labels: LabelSpec[],
  known: Set<string>,
  /** Where the node ids of the labels created are remembered (absent: they are not). */
  ids?: LabelIds,
): Promise<string[]> {
  const tooLong = labels.filter((label) => [...label.name].length > MAX_NAME);
  if (tooLong.length > 0) {
    const names = tooLong.map((label) => JSON.stringify(label.name)).join(', ');
    throw new Error(`label names must be at most ${MAX_NAME} characters; too long: ${names}`);
  }
  const created: string[] = [];
  const present = new Set([...known].map((name) => name.toLowerCase()));
  for (const label of labels) {
    if (present.has(label.name.toLowerCase())) continue;
    try {
      const { data } = await octokit.rest.issues.createLabel({
        owner: repo.owner,
        repo: repo.repo,
        name: label.name,
        color: label.color.replace(/^#/, ''),
        description: truncate(label.description, MAX_DESCRIPTION),
      });
      rememberLabelIds(ids, repo, [data]);
      created.push(label.name);
    } catch (error) {
      if (!alreadyExists(error)) throw error;
    }
    present.add(label.name.toLowerCase());
    known.add(label.name);
  }
  return created;
}

/** Cuts to `max` characters (code points, so an emoji is never split), ending with an ellipsis when cut. */
function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function alreadyExists(error: unknown): boolean {
  if (requestStatus(error) !== 422) return false;
  const data = (error as { response?: { data?: { errors?: { code?: string }[] } } }).response?.data;
  return data?.errors?.some((detail) => detail.code === 'already_exists') ?? false;
}
