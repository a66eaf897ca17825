import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic } from '../../core/diagnostic.ts';
import { workflowToMermaid } from '../../core/graph.ts';
import { loadWorkflow } from '../../core/load/load-workflow.ts';
import { finalStatusLine, formatTranscript } from '../../core/simulate/transcript.ts';
import { exitsOf, type Workflow } from '../../core/workflow.ts';
import { issueHtml } from '../../simulate/issue-html.ts';
import { simulateOnGitHub } from '../../simulate/simulate-on-github.ts';
import { findWorkflowFiles } from '../find-workflow-files.ts';
import type { CliIo } from '../io.ts';
import { readScript } from '../read-script.ts';

const EXAMPLES = fileURLToPath(new URL('../../../workflows-examples/', import.meta.url));
const FEATURED = 'plan-implement-review-revise.yml';

/** The page the demo writes: the demo's issue as GitHub would show it at the end of the run. */
export const DEMO_HTML = 'flowgate-demo.html';

/**
 * The local demo: needs no GitHub account and no API key. Checks every bundled example workflow, walks through
 * one of them (its stages, gates and graph), and simulates a whole run of it, gates included.
 */
export async function demoCommand(io: CliIo): Promise<number> {
  const files = await findWorkflowFiles([EXAMPLES], '/');
  io.stdout('flowgate demo: the bundled example workflows, checked by the same loader the app uses\n\n');
  let featured: Workflow | undefined;
  let failed = 0;
  for (const path of files) {
    const name = path.slice(EXAMPLES.length);
    const { workflow, diagnostics } = await loadWorkflow(
      `workflows-examples/${name}`,
      await readFile(path, 'utf8'),
    );
    for (const d of diagnostics) io.stdout(`${formatDiagnostic(d)}\n`);
    if (workflow === undefined) {
      failed++;
      continue;
    }
    if (name === FEATURED) featured = workflow;
    const gates = workflow.stages.filter((s) => s.gate.approver !== 'skip').length;
    io.stdout(
      `  ok  ${name.padEnd(36)} ${workflow.stages.length} stages, ${gates} gated, mode ${workflow.mode}\n`,
    );
  }
  let completed = false;
  if (featured !== undefined) {
    io.stdout(`\n${describeWorkflow(featured)}\n`);
    completed = await simulateFeatured(featured, io);
  }
  io.stdout(
    '\nNext: in your repository, `npx flowgate init` writes a starting workflow and the Actions workflow it needs\n' +
      '(or copy a file from workflows-examples/ to .github/flowgate/ yourself); then run\n' +
      '  npx flowgate validate                 # check it, with file:line:col errors\n' +
      '  npx flowgate graph <file>             # draw it as a Mermaid flowchart\n' +
      '  npx flowgate simulate <file>          # run it offline; --script <events.yml> plays a scenario\n',
  );
  return failed === 0 && completed ? 0 : 1;
}

/** A whole run of the featured workflow, offline, with its script from workflows-examples/scripts/. */
async function simulateFeatured(workflow: Workflow, io: CliIo): Promise<boolean> {
  const script = `workflows-examples/scripts/${FEATURED.replace(/\.yml$/, '.events.yml')}`;
  const loaded = await readScript(script, workflow, { ...io, cwd: join(EXAMPLES, '..') });
  if (loaded === undefined) return false;
  const path = join(EXAMPLES, FEATURED);
  const text = await readFile(path, 'utf8');
  const result = await simulateOnGitHub(workflow, { file: { path, text }, script: loaded });
  const name = FEATURED.replace(/\.yml$/, '');
  io.stdout(
    `\nA simulated run of "${workflow.name}" as it runs on GitHub: an in-memory GitHub, the app's reconcile and the\n` +
      `Action's step code, with offline models and the people of ${script}; the same as\n` +
      `  npx flowgate simulate ${name} --script ${script} --html ${DEMO_HTML}\n\n`,
  );
  io.stdout(`${formatTranscript(result).join('\n')}\n`);
  const heading = `flowgate demo: ${workflow.name} on issue #${result.subject.number}: ${finalStatusLine(result)}`;
  await writeFile(resolve(io.cwd, DEMO_HTML), issueHtml(result.github, result.subject.number, heading));
  io.stdout(`\nThe issue as GitHub would show it at the end: open ${DEMO_HTML} in a browser.\n`);
  return result.outcome.kind === 'completed';
}

function describeWorkflow(workflow: Workflow): string {
  const rows = workflow.stages.map((s) => {
    const gate = s.gate.approver === 'skip' ? '-' : `${s.gate.approver} (${s.gate.approvers.permission}+)`;
    const exits = s.transitions
      ?.map((t) => (t.when === undefined ? t.to : `${t.to} if ${t.when}`))
      .join('; ');
    return `  ${s.id.padEnd(10)} ${s.type.padEnd(8)} ${s.mode.padEnd(8)} ${gate.padEnd(22)} ${exits ?? (exitsOf(s).join(', ') || '(end)')}`;
  });
  return [
    `Workflow "${workflow.name}": ${workflow.description ?? ''}`,
    `  ${'stage'.padEnd(10)} ${'type'.padEnd(8)} ${'mode'.padEnd(8)} ${'gate'.padEnd(22)} then`,
    ...rows,
    '',
    'As a Mermaid flowchart (paste into any Markdown file on GitHub):',
    '',
    workflowToMermaid(workflow, { current: workflow.stages[0]?.id }),
  ].join('\n');
}
