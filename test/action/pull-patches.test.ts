import { describe, expect, it } from 'vitest';
import { pullPatches } from '../../src/action/pull-patches.ts';
import type { PullFile } from '../../src/github/list-pull-files.ts';

function file(path: string, patch: string | undefined): PullFile {
  return { path, status: 'modified', additions: 1, deletions: 0, ...(patch === undefined ? {} : { patch }) };
}

describe('pullPatches', () => {
  it('shows each patch under a diff --git line, and names the files GitHub shows no patch for', () => {
    const text = pullPatches([file('a.ts', '@@ -1 +1 @@\n-a\n+b'), file('logo.png', undefined)]);
    expect(text).toBe(
      'diff --git a/a.ts b/a.ts\n@@ -1 +1 @@\n-a\n+b\n(GitHub shows no patch for: logo.png.)',
    );
  });

  it('cuts a long patch at a line end, per file, and says how many lines went', () => {
    const long = Array.from({ length: 100 }, (_, i) => `+line ${i}`).join('\n');
    const text = pullPatches([file('big.ts', long), file('small.ts', '+ok')], 1_000, 200);
    expect(text).toMatch(
      /^diff --git a\/big.ts b\/big.ts\n\+line 0\n[\s\S]*\n\(\.\.\. \d+ more lines of this file's patch are left out for length\.\)\n/,
    );
    expect(text).toContain('diff --git a/small.ts b/small.ts\n+ok');
    expect(text.split('diff --git a/big.ts')[1]?.length).toBeLessThan(320);
  });

  it('stops at the total and names the files left out', () => {
    const files = ['a', 'b', 'c'].map((name) => file(`${name}.ts`, `+${name.repeat(400)}`));
    const text = pullPatches(files, 1_000, 500);
    expect(text).toContain('diff --git a/a.ts b/a.ts');
    expect(text).toContain('diff --git a/b.ts b/b.ts');
    expect(text).not.toContain('diff --git a/c.ts');
    expect(text).toContain('(The patches of 1 more files are left out for length: c.ts.)');
  });
});
