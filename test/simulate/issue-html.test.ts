import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { loadScript } from '../../src/core/simulate/load-script.ts';
import { issueHtml } from '../../src/simulate/issue-html.ts';
import { simulateOnGitHub } from '../../src/simulate/simulate-on-github.ts';

/** The bundled plan-implement-review-revise example run with its own script, as `npm run demo` runs it. */
async function featuredRun() {
  const path = 'workflows-examples/plan-implement-review-revise.yml';
  const text = readFileSync(path, 'utf8');
  const { workflow } = await loadWorkflow(path, text);
  if (workflow === undefined) throw new Error(`${path} does not load`);
  const scriptPath = 'workflows-examples/scripts/plan-implement-review-revise.events.yml';
  const { loaded, diagnostics } = loadScript(scriptPath, readFileSync(scriptPath, 'utf8'), workflow);
  if (loaded === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return simulateOnGitHub(workflow, { file: { path, text }, script: loaded });
}

describe('the HTML view', () => {
  it("shows each check run with its title and its summary rendered, and GitHub's anchors", async () => {
    const { github, subject } = await featuredRun();
    const html = issueHtml(github, subject.number, 'heading');
    const pull = [...github.pulls.keys()].find((n) => n !== subject.number);
    const check = github.checkRuns.at(-1);
    const output = check?.output as { title: string; summary: string };
    expect(output.title).toBe('feature: completed at done');
    expect(html).toContain(`<section class="pull" id="pull-${pull}">`);
    expect(html).toContain(
      `✅ <strong>${check?.name}</strong>: completed (success) — feature: completed at done<details class="check-output"><summary>Details</summary>`,
    );
    // The summary is Markdown, rendered: its stage table and its graph, not their source.
    const details = html.slice(html.indexOf('<details class="check-output">'));
    expect(details).toMatch(/^<details class="check-output"><summary>Details<\/summary>[\s\S]*<table>/);
    expect(details).toContain('<pre class="mermaid">');
    for (const comment of github.comments.filter((c) => c.issue === subject.number)) {
      expect(html).toContain(`id="issuecomment-${comment.id}"`);
    }
  });
});
