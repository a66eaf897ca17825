/**
 * Stages with `output: file:<path>`: the path a stage writes, the checks a path must pass, and the branch a run's
 * files go to. Pure.
 */

/** The path of a `file:<path>` output, or undefined for `comment` and `pull_request`. */
export function fileOutputPath(output: string): string | undefined {
  return output.startsWith('file:') ? output.slice('file:'.length) : undefined;
}

/**
 * Why a path cannot be a file output, or undefined when it can. A path is relative to the repository's root,
 * uses `/`, and names a file: no leading `/`, no `.` or `..` segments, no empty segment, nothing under `.git/`.
 * Files under `.github/workflows/` are refused too: GitHub does not let an Actions token change workflows.
 */
export function checkOutputPath(path: string): string | undefined {
  if (path.trim() !== path || path === '') return 'the path must not be empty or start or end with spaces';
  if (path.includes('\\')) return 'the path must use / between folders, not \\';
  if (path.startsWith('/')) return 'the path must be relative to the repository root (no leading /)';
  if (path.endsWith('/')) return 'the path must name a file, not a folder (it ends with /)';
  if ([...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return 'the path must not hold control characters';
  const segments = path.split('/');
  if (segments.some((s) => s === '')) return 'the path must not hold an empty folder name (//)';
  if (segments.some((s) => s === '.' || s === '..')) return 'the path must not hold . or .. folders';
  if (segments.some((s) => s.toLowerCase() === '.git')) return 'the path must not be inside .git';
  if (/^\.github\/workflows\//i.test(path)) {
    return 'the path must not be under .github/workflows/: GitHub refuses workflow changes from an Actions token';
  }
  return undefined;
}

/**
 * The branch a run's file outputs are committed to: `flowgate/<run id>`, with any character a branch name cannot
 * hold (or that would read oddly in one) replaced by `-`.
 */
export function runBranch(runId: string): string {
  const safe = runId
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '')
    .replace(/\.lock$/i, '-lock');
  return `flowgate/${safe === '' ? 'run' : safe}`;
}
