import type { KeyedCache } from './keyed-cache.ts';
import { type LabelIds, rememberLabelIds } from './label-ids.ts';
import { requestStatus } from './request-status.ts';
import type { IssueRef, Octo } from './types.ts';

/** An issue's labels as GitHub last answered them, with the ETag of that answer (for a conditional re-read). */
export interface KnownLabels {
  etag: string;
  labels: string[];
}

/**
 * Adds and removes labels on an issue or pull request, knowing its `current` labels: sends only what changes
 * (names compare case-insensitively, as on GitHub; a label in both `add` and `remove` is added), in one request:
 * - only additions: 1 POST (adds, touches no other label);
 * - one removal: 1 DELETE (a label already gone, 404, is ignored);
 * - anything more (a stage label on, the old one and the awaiting-approval one off): the labels are read again
 *   first, and one PUT sets the full set computed from that fresh read, so a label a person added since `current`
 *   was read is kept. With `known` holding the ETag of the last answer about this issue's labels, the re-read is
 *   a conditional request: 304 (not counted by GitHub's rate limit) when nobody changed them since. Only the
 *   milliseconds between that read and the PUT are left for a change to be overwritten, as with the status
 *   comment's re-read before its edit. An issue with more than 100 labels gets POST and DELETEs instead.
 * Returns the labels the issue has afterwards, as GitHub last reported them.
 * Cost: 0 when nothing changes; 1 write otherwise, plus, for a change of several labels, 1 GET (free when
 * unchanged since the ETag in `known`).
 */
export async function setIssueLabels(
  octokit: Octo,
  issue: IssueRef,
  current: string[],
  add: string[],
  remove: string[],
  known?: KeyedCache<KnownLabels>,
  /** Where the labels' node ids GitHub's answers show are remembered (absent: they are not). */
  ids?: LabelIds,
): Promise<string[]> {
  const key = `${issue.owner}/${issue.repo}#${issue.number}`;
  const plan = labelChanges(current, add, remove);
  if (plan.toAdd.length === 0 && plan.toRemove.length === 0) return current;
  const target = { owner: issue.owner, repo: issue.repo, issue_number: issue.number };
  const keep = (answer: { data: { name: string; node_id?: string }[]; headers: { etag?: string } }) => {
    rememberLabelIds(ids, issue, answer.data);
    const labels = answer.data.map((label) => label.name);
    if (typeof answer.headers.etag === 'string' && answer.headers.etag !== '')
      known?.set(key, { etag: answer.headers.etag, labels });
    return labels;
  };
  if (plan.toRemove.length === 0)
    return keep(await octokit.rest.issues.addLabels({ ...target, labels: plan.toAdd }));
  if (plan.toAdd.length === 0 && plan.toRemove.length === 1)
    return await removeOne(octokit, target, plan.toRemove[0] ?? '', current, keep);

  const fresh = await readLabels(octokit, target, known?.get(key), keep);
  if (fresh === undefined) return await oneByOne(octokit, target, current, plan, keep);
  const again = labelChanges(fresh, add, remove);
  if (again.toAdd.length === 0 && again.toRemove.length === 0) return fresh;
  const has = (list: string[], name: string) => list.some((l) => l.toLowerCase() === name.toLowerCase());
  const labels = [...fresh.filter((name) => !has(again.toRemove, name)), ...again.toAdd];
  return keep(await octokit.rest.issues.setLabels({ ...target, labels }));
}

interface Target {
  owner: string;
  repo: string;
  issue_number: number;
}
type Keep = (answer: { data: { name: string; node_id?: string }[]; headers: { etag?: string } }) => string[];

/** The labels to add and to remove, given the ones the issue has (see `setIssueLabels`). Pure. */
export function labelChanges(current: string[], add: string[], remove: string[]) {
  const has = (list: string[], name: string) =>
    list.some((item) => item.toLowerCase() === name.toLowerCase());
  return {
    toAdd: unique(add.filter((name) => !has(current, name))),
    toRemove: unique(remove.filter((name) => has(current, name) && !has(add, name))),
  };
}

/** The issue's labels now (conditionally when `last` is known), or undefined when there are more than 100. */
async function readLabels(
  octokit: Octo,
  target: Target,
  last: KnownLabels | undefined,
  keep: Keep,
): Promise<string[] | undefined> {
  try {
    const answer = await octokit.rest.issues.listLabelsOnIssue({
      ...target,
      per_page: 100,
      ...(last === undefined ? {} : { headers: { 'if-none-match': last.etag } }),
    });
    if (answer.data.length >= 100) return undefined;
    return keep(answer);
  } catch (error) {
    if (requestStatus(error) === 304 && last !== undefined) return last.labels;
    throw error;
  }
}

async function removeOne(
  octokit: Octo,
  target: Target,
  name: string,
  current: string[],
  keep: Keep,
): Promise<string[]> {
  try {
    return keep(await octokit.rest.issues.removeLabel({ ...target, name }));
  } catch (error) {
    if (requestStatus(error) !== 404) throw error;
    return current.filter((label) => label.toLowerCase() !== name.toLowerCase());
  }
}

/** POST the additions, then one DELETE per removal: never touches a label it does not name. */
async function oneByOne(
  octokit: Octo,
  target: Target,
  current: string[],
  plan: { toAdd: string[]; toRemove: string[] },
  keep: Keep,
): Promise<string[]> {
  let labels = current;
  if (plan.toAdd.length > 0)
    labels = keep(await octokit.rest.issues.addLabels({ ...target, labels: plan.toAdd }));
  for (const name of plan.toRemove) labels = await removeOne(octokit, target, name, labels, keep);
  return labels;
}

function unique(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
