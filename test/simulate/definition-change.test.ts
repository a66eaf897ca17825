import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { loadScript } from '../../src/core/simulate/load-script.ts';
import { simulateOnGitHub } from '../../src/simulate/simulate-on-github.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/definition-change/${name}.yml`, import.meta.url), 'utf8');

/** Simulates the `doc` workflow (plan -> draft -> done) with `steps`, as `flowgate simulate --script` does. */
async function simulate(steps: unknown[]) {
  const text = fixture('v1');
  const { workflow, diagnostics } = await loadWorkflow('doc.yml', text);
  if (workflow === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const script = stringify({ people: { bob: { permission: 'maintain' } }, steps });
  const loaded = loadScript('events.yml', script, workflow);
  if (loaded.loaded === undefined) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return simulateOnGitHub(workflow, { file: { path: 'doc.yml', text }, script: loaded.loaded });
}

describe('flowgate simulate, with a `workflow` step that commits a new version of the file', () => {
  it('moves the run to the heir of its removed stage at the next event, as on GitHub', async () => {
    const result = await simulate([
      { comment: { by: 'bob', body: '/approve' } },
      { workflow: { text: fixture('heir') } },
      { answer: { stage: 'write', text: 'The page.' } },
      { comment: { by: 'bob', body: '/status' } },
      { comment: { by: 'bob', body: '/approve' } },
    ]);
    expect(result.outcome.kind).toBe('completed');
    expect(result.visited).toEqual(['plan', 'draft', 'write', 'done']);
    const events = result.entries.map((e) => e.event);
    expect(events).toContainEqual(
      expect.stringMatching(
        /^@maintainer commits a new version of \.github\/flowgate\/doc\.yml to the default branch \(blob [0-9a-f]{7}\): the run takes it at its next event$/,
      ),
    );
    const moved = result.entries.find((e) => e.history.some((h) => h.includes('draft -> write')));
    expect(moved?.effects.map((v) => v.text)).toContainEqual(
      expect.stringContaining('stage `draft` was removed and `write` replaces it'),
    );
  });

  it('pauses the run whose stage was removed, and /flowgate goto reaches a stage of the new file', async () => {
    const result = await simulate([
      { comment: { by: 'bob', body: '/approve' } },
      { workflow: { text: fixture('removed') } },
      { comment: { by: 'bob', body: '/status' } },
      { comment: { by: 'bob', body: '/flowgate goto review' } },
      { comment: { by: 'bob', body: '/approve' } },
    ]);
    expect(result.outcome.kind).toBe('completed');
    expect(result.visited).toEqual(['plan', 'draft', 'review', 'done']);
    const paused = result.entries.find((e) => e.history.some((h) => h.startsWith('paused')));
    expect(paused?.effects.map((v) => v.text)).toContainEqual(
      expect.stringContaining(
        'A maintainer can move it with `/flowgate goto <stage>` to one of `plan`, `review`, `done`',
      ),
    );
  });
});
