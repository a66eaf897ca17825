import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic } from '../../core/diagnostic.ts';
import { loadWorkflow } from '../../core/load/load-workflow.ts';
import { workflowJsonSchemaText } from '../../core/schema/json-schema.ts';
import { chooseInitOptions, type InitFlags } from '../init/choose-init-options.ts';
import { planInitFiles } from '../init/plan-init-files.ts';
import { renderInitReport } from '../init/render-init-report.ts';
import { writePlannedFiles } from '../init/write-planned-files.ts';
import { type CliIo, UsageError } from '../io.ts';
import { packageInfo } from '../package-info.ts';

export interface InitOptions extends InitFlags {
  force: boolean;
  dryRun: boolean;
  /** The Action to reference, `owner/flowgate/action@<full commit sha>`; default: the release this CLI came with. */
  action?: string;
}

const EXAMPLES = fileURLToPath(new URL('../../../workflows-examples/', import.meta.url));
const PINNED = /^[\w.-]+\/[\w.-]+\/action@[0-9a-f]{40}$/;

/**
 * Sets flowgate up in the repository at `io.cwd`: a workflow from workflows-examples/ in .github/flowgate/, and the
 * Actions workflow(s) of the chosen mode; then prints the secrets, labels and first steps.
 */
export async function initCommand(options: InitOptions, io: CliIo): Promise<number> {
  // 1. What to set up.
  const examples = (await readdir(EXAMPLES)).filter((n) => n.endsWith('.yml')).map((n) => n.slice(0, -4));
  const { mode, workflow: example } = await chooseInitOptions(options, examples.sort(), io);
  const action = chosenAction(options.action);
  // 2. The starting workflow, checked by the loader the app uses.
  const workflowText = await readFile(join(EXAMPLES, `${example}.yml`), 'utf8');
  const { workflow, diagnostics } = await loadWorkflow(`workflows-examples/${example}.yml`, workflowText);
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  if (workflow === undefined) return 1;
  // 3. The files, written (or printed with --dry-run).
  const actions = (name: string) => readFile(join(EXAMPLES, '.github/workflows', name), 'utf8');
  const files = planInitFiles({
    mode,
    workflow,
    workflowText,
    actionsWorkflows: {
      app: await actions('flowgate.yml'),
      appLess: await actions('flowgate-app-less.yml'),
      sweep: await actions('flowgate-sweep.yml'),
      validate: await actions('flowgate-validate.yml'),
    },
    schemaText: workflowJsonSchemaText(),
    action,
  });
  io.stderr(
    `flowgate init: ${example} (workflow "${workflow.name}"), ${mode === 'app' ? 'with the app' : 'the Action alone'}\n`,
  );
  const written = await writePlannedFiles(files, { force: options.force, dryRun: options.dryRun }, io);
  if (!written) return 1;
  // 4. What the person does next.
  io.stdout(renderInitReport({ mode, workflow, action }));
  return 0;
}

function chosenAction(flag: string | undefined): { uses: string; version: string; placeholder: boolean } {
  const released = packageInfo().action;
  if (flag === undefined) return { ...released, placeholder: released.uses.startsWith('OWNER/') };
  const uses = flag.replace(/\s*#.*$/, '');
  if (!PINNED.test(uses)) {
    throw new UsageError(
      `--action: "${flag}" is not <owner>/<repo>/action@<full 40-character commit sha>; a tag or a branch can be moved by whoever controls it`,
    );
  }
  return { uses, version: /#\s*(\S+)/.exec(flag)?.[1] ?? released.version, placeholder: false };
}
