import { fenceData } from '../core/simulate/prompt-context.ts';
import type { IssueInfo } from '../github/get-issue.ts';
import type { PullFile } from '../github/list-pull-files.ts';
import { diffSummary } from './prompt-context.ts';
import { sanitizeCode, sanitizeLine, sanitizeUntrusted } from './sanitize-untrusted.ts';

/** The most characters of patches an approver is shown; the rest of the diff is named, not shown. */
export const MAX_DIFF_CHARS = 150_000;

/**
 * A pull request as an approver judges it: its title and description, the changed files, and the patches
 * (sanitised as code, each fenced as data), cut at `maxChars` characters of patches. Pure.
 */
export function pullRequestContent(
  pull: IssueInfo,
  headSha: string,
  files: readonly PullFile[],
  maxChars = MAX_DIFF_CHARS,
): string {
  const parts = [
    `Pull request #${pull.number} "${sanitizeLine(pull.title)}" at commit ${headSha}.`,
    fenceData('pull request description', sanitizeUntrusted(pull.body)),
    diffSummary(files),
  ];
  let used = 0;
  const left: string[] = [];
  for (const f of files) {
    if (f.patch === undefined) continue;
    const patch = sanitizeCode(f.patch);
    if (used + patch.length > maxChars) {
      left.push(sanitizeLine(f.path));
      continue;
    }
    used += patch.length;
    parts.push(fenceData(`diff of ${sanitizeLine(f.path)}`, patch));
  }
  if (left.length > 0)
    parts.push(`The diffs of ${left.length} more files are left out for length: ${left.join(', ')}.`);
  return parts.filter((p) => p !== '').join('\n\n');
}
