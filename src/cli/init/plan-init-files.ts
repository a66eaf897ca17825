import type { Workflow } from '../../core/workflow.ts';
import { pinActionUses } from './action-uses-line.ts';
import { neededSecrets } from './needed-secrets.ts';
import { withPinNote } from './with-pin-note.ts';
import { withSecretEnv } from './with-secret-env.ts';
import { withSweepCrons } from './with-sweep-crons.ts';
import { withoutAppPublicKey } from './without-app-public-key.ts';

export type InitMode = 'app' | 'action';

export interface PlannedFile {
  path: string;
  text: string;
}

export interface InitPlanParams {
  mode: InitMode;
  /** The starting workflow, loaded, and its text as in workflows-examples/. */
  workflow: Workflow;
  workflowText: string;
  /**
   * The texts of workflows-examples/.github/workflows/: flowgate.yml, flowgate-app-less.yml, flowgate-sweep.yml,
   * flowgate-validate.yml.
   */
  actionsWorkflows: { app: string; appLess: string; sweep: string; validate: string };
  schemaText: string;
  /** The Action to reference: `owner/flowgate/action@<sha>`, its version, and whether it is the placeholder. */
  action: { uses: string; version: string; placeholder: boolean };
}

export const SCHEMA_MODELINE = '# yaml-language-server: $schema=./workflow.schema.json\n';

/**
 * The files `flowgate init` writes into a repository: the workflow with the schema modeline, the JSON Schema beside
 * it, the Actions workflow of the mode (with the app: the one it dispatches; alone: the one every event starts,
 * and the one that checks the workflow files on push and on pull requests), and for a workflow with `on.schedule` the sweep job on the same cron lines. Each Actions workflow passes exactly
 * the secrets the workflow's providers read, keeps the examples' state key lines (the app's public key from a
 * variable; the Action alone's and the sweep's private key from the environment `flowgate`), and references the
 * Action by its pinned commit.
 */
export function planInitFiles(p: InitPlanParams): PlannedFile[] {
  const keys = neededSecrets(p.workflow).map((s) => s.name);
  const pinned = (text: string) => pinActionUses(text, p.action.uses, p.action.version);
  const noted = (text: string) => (p.action.placeholder ? text : withPinNote(text, p.action.version));
  const actions = (text: string) => withSecretEnv(noted(pinned(text)), keys);
  const files: PlannedFile[] = [
    { path: `.github/flowgate/${p.workflow.name}.yml`, text: `${SCHEMA_MODELINE}${p.workflowText}` },
    { path: '.github/flowgate/workflow.schema.json', text: p.schemaText },
    {
      path: '.github/workflows/flowgate.yml',
      text: actions(p.mode === 'app' ? p.actionsWorkflows.app : p.actionsWorkflows.appLess),
    },
  ];
  // Alone, no app checks the workflow files on push: the validate workflow does (it runs no Action, holds no secret).
  if (p.mode === 'action')
    files.push({ path: '.github/workflows/flowgate-validate.yml', text: p.actionsWorkflows.validate });
  const crons = p.workflow.on.schedule?.cron;
  if (crons !== undefined) {
    const sweep = withSweepCrons(actions(p.actionsWorkflows.sweep), crons);
    files.push({
      path: '.github/workflows/flowgate-sweep.yml',
      text: p.mode === 'app' ? sweep : withoutAppPublicKey(sweep),
    });
  }
  return files;
}
