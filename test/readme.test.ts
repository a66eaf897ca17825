import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/core/diagnostic.ts';
import { loadWorkflow } from '../src/core/load/load-workflow.ts';

const readme = readFileSync('README.md', 'utf8');
const fences = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1],
  body: m[2] ?? '',
}));
const block = (lang: string) => fences.filter((f) => f.lang === lang).map((f) => f.body);

describe('the README', () => {
  const [quickStart = ''] = block('yaml');
  const name = '.github/flowgate/feature.yml';

  it('shows a quick-start workflow that is valid', async () => {
    const { workflow, diagnostics } = await loadWorkflow(name, quickStart);
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(workflow?.stages.map((s) => `${s.id}:${s.type}`)).toEqual([
      'plan:entry',
      'review:work',
      'done:terminal',
    ]);
  });

  it('shows the error a typo in that workflow really gives', async () => {
    const { diagnostics } = await loadWorkflow(name, quickStart.replace('gate: manual ', 'gate: manul  '));
    const shown = block('').find((b) => b.includes('did you mean'));
    expect(diagnostics.map(formatDiagnostic).join('\n')).toBe(shown?.trimEnd());
  });

  it('names the set-up commands that exist in package.json', () => {
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm test ');
    expect(scripts.demo).toBeDefined();
    expect(scripts.test).toBe('vitest run');
  });
});

describe("the README's pictures", () => {
  const pictures = [...readme.matchAll(/!\[([^\]]*)\]\(([^)]+)\)/g)].map((m) => ({
    alt: m[1] ?? '',
    path: m[2] ?? '',
  }));

  it('show the status comment, the check run and the sweep dashboard', () => {
    expect(pictures.map((p) => p.path)).toEqual([
      'docs/images/status-comment.png',
      'docs/images/check-run.png',
      'docs/images/sweep-dashboard.png',
    ]);
  });

  it.each(pictures)('$path exists, is a PNG under 200 kB and has alt text', ({ alt, path }) => {
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.length).toBeLessThan(200_000);
    expect(alt.length).toBeGreaterThan(40);
  });
});
