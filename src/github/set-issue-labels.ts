import { requestStatus } from './request-status.ts';
import type { IssueRef, Octo } from './types.ts';

/**
 * Adds and removes labels on an issue or pull request, knowing its `current` labels: sends only what changes
 * (names compare case-insensitively, as on GitHub; a label in both `add` and `remove` is added). A label that
 * is already gone when removed (404) is ignored. Returns the labels the issue has afterwards, as GitHub last
 * reported them.
 * Cost: 1 POST when a label is missing, plus 1 DELETE per label to remove that is present; 0 when nothing changes.
 */
export async function setIssueLabels(
  octokit: Octo,
  issue: IssueRef,
  current: string[],
  add: string[],
  remove: string[],
): Promise<string[]> {
  const has = (list: string[], name: string) =>
    list.some((item) => item.toLowerCase() === name.toLowerCase());
  const toAdd = unique(add.filter((name) => !has(current, name)));
  const toRemove = unique(remove.filter((name) => has(current, name) && !has(add, name)));
  let labels = [...current, ...toAdd];

  const target = { owner: issue.owner, repo: issue.repo, issue_number: issue.number };
  if (toAdd.length > 0) {
    const { data } = await octokit.rest.issues.addLabels({ ...target, labels: toAdd });
    labels = data.map((label) => label.name);
  }
  for (const name of toRemove) {
    try {
      const { data } = await octokit.rest.issues.removeLabel({ ...target, name });
      labels = data.map((label) => label.name);
    } catch (error) {
      if (requestStatus(error) !== 404) throw error;
      labels = labels.filter((label) => label.toLowerCase() !== name.toLowerCase());
    }
  }
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
