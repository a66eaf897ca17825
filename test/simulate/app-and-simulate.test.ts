import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_CHECK } from '../../src/app/check-workflow-files.ts';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { loadScript } from '../../src/core/simulate/load-script.ts';
import type { MemoryGitHub } from '../../src/memory-github/memory-github.ts';
import { simulateOnGitHub } from '../../src/simulate/simulate-on-github.ts';
import { appShell } from '../support/app-shell.ts';

/** The examples the app runs from a label or a command; the scheduled pipeline is run by the Action's sweeps. */
const EXAMPLES = readdirSync('workflows-examples')
  .filter((f) => f.endsWith('.yml') && f !== 'scheduled-content-pipeline.yml')
  .map((f) => f.replace(/\.yml$/, ''));

async function run(name: string, scripted: boolean, shell?: ReturnType<typeof appShell>) {
  const path = `workflows-examples/${name}.yml`;
  const text = readFileSync(path, 'utf8');
  const { workflow, diagnostics } = await loadWorkflow(path, text);
  if (workflow === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const file = `workflows-examples/scripts/${name}.events.yml`;
  const loaded = scripted ? loadScript(file, readFileSync(file, 'utf8'), workflow).loaded : undefined;
  return simulateOnGitHub(workflow, {
    file: { path, text },
    ...(loaded === undefined ? {} : { script: loaded }),
    ...(shell === undefined ? {} : { shell }),
  });
}

/** What a person sees on the subject and its pull requests: comments with their authors, labels, check runs. */
function seen(github: MemoryGitHub) {
  return {
    comments: github.comments.map((c) => ({
      issue: c.issue,
      login: c.login,
      body: c.body,
      edited: c.updated_at,
    })),
    issues: [...github.issues.entries()].map(([n, i]) => ({
      n,
      labels: i.labels,
      state: i.state,
      locked: i.locked,
    })),
    pulls: [...github.pulls.entries()].map(([n, p]) => ({ n, head: p.head, requested: p.requested })),
    // The app's check of the workflow files at each pull request head is no part of a run: simulate shows runs.
    checks: github.checkRuns
      .filter((c) => c.name !== WORKFLOW_CHECK)
      .map((c) => ({
        head: c.head_sha,
        name: c.name,
        status: c.status,
        conclusion: c.conclusion,
      })),
    reactions: github.reactions,
  };
}

/** The requests that moved labels: GraphQL mutations (a status edit with label moves) and REST label writes. */
function labelWrites(github: MemoryGitHub) {
  return github.log.filter(
    (l) => l === 'POST /graphql mutation' || /^(POST|PUT|DELETE) \S+\/issues\/\d+\/labels/.test(l),
  );
}

describe('flowgate simulate and the app', () => {
  it.each(
    EXAMPLES.flatMap((name) => [
      [name, 'the default script'],
      [name, 'its events script'],
    ]),
  )(
    'leave the same comments, labels, pull requests and check runs on %s, with %s',
    async (name, script) => {
      const scripted = script === 'its events script';
      const simulated = await run(name, scripted);
      const app = await run(name, scripted, appShell());
      expect(simulated.outcome.kind).toBe('completed');
      expect(app.outcome).toEqual(simulated.outcome);
      expect(app.visited).toEqual(simulated.visited);
      expect(seen(app.github)).toEqual(seen(simulated.github));
      // And by the same writes: a status edit with its label moves in one request, the labels alone through REST.
      expect(labelWrites(app.github)).toEqual(labelWrites(simulated.github));
    },
    30_000,
  );
});
