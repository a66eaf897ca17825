import type { PullFile } from '../github/list-pull-files.ts';
import { sanitizeCode, sanitizeLine } from './sanitize-untrusted.ts';

/** The most characters of one file's patch a prompt gets; a longer patch keeps its first lines and says so. */
export const MAX_FILE_PATCH_CHARS = 20_000;
/** The most characters of patches in all a prompt gets; the files past that are named, not shown. */
export const MAX_PATCH_CHARS = 150_000;

/**
 * A pull request's patches as a model reads them: per file a `diff --git a/<old> b/<new>` line and the patch
 * GitHub gives (sanitised as code), each cut at `perFile` characters at a line end with a note of how many lines
 * went, in all at most `total` characters; the files whose patch would go past that, and binary or too-large
 * files GitHub shows no patch for, are named at the end. Empty when no file has a patch. Pure.
 */
export function pullPatches(
  files: readonly PullFile[],
  total = MAX_PATCH_CHARS,
  perFile = MAX_FILE_PATCH_CHARS,
): string {
  const parts: string[] = [];
  const left: string[] = [];
  const noPatch: string[] = [];
  let used = 0;
  for (const f of files) {
    const path = sanitizeLine(f.path);
    if (f.patch === undefined) {
      if (f.status !== 'removed') noPatch.push(path);
      continue;
    }
    const patch = cutPatch(sanitizeCode(f.patch), perFile);
    const section = `diff --git a/${sanitizeLine(f.previousPath ?? f.path)} b/${path}\n${patch}`;
    if (used + section.length > total) {
      left.push(path);
      continue;
    }
    used += section.length;
    parts.push(section);
  }
  if (noPatch.length > 0) parts.push(`(GitHub shows no patch for: ${noPatch.join(', ')}.)`);
  if (left.length > 0) {
    parts.push(`(The patches of ${left.length} more files are left out for length: ${left.join(', ')}.)`);
  }
  return parts.join('\n');
}

function cutPatch(patch: string, max: number): string {
  if (patch.length <= max) return patch;
  const end = patch.lastIndexOf('\n', max);
  const kept = patch.slice(0, end > 0 ? end : max);
  const lines = patch.split('\n').length - kept.split('\n').length;
  return `${kept}\n(... ${lines} more lines of this file's patch are left out for length.)`;
}
