import { fenceData } from '../core/render/fence-data.ts';
import type { IssueInfo } from '../github/get-issue.ts';
import type { PullFile } from '../github/list-pull-files.ts';
import { diffSummary } from './prompt-context.ts';
import { MAX_PATCH_CHARS, pullPatches } from './pull-patches.ts';
import { sanitizeLine, sanitizeUntrusted } from './sanitize-untrusted.ts';

/** The most characters of patches an approver is shown; the rest of the diff is named, not shown. */
export const MAX_DIFF_CHARS = MAX_PATCH_CHARS;

/**
 * A pull request as an approver judges it: its title and description, the changed files, and the patches
 * (`pullPatches`: sanitised as code, bounded per file and to `maxChars` in all), fenced as data. Pure.
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
    fenceData('pull request diff', pullPatches(files, maxChars)),
  ];
  return parts.filter((p) => p !== '').join('\n\n');
}
