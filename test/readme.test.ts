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
