import type { Workflow } from '../../core/workflow.ts';
import { neededSecrets } from './needed-secrets.ts';
import type { InitMode } from './plan-init-files.ts';
import { stateKeySteps } from './state-key-steps.ts';

export interface InitReportParams {
  mode: InitMode;
  workflow: Workflow;
  /** The Action the written files reference, and whether it is still the unreleased placeholder. */
  action: { uses: string; version: string; placeholder: boolean };
}

/**
 * What to do after `flowgate init`: where the state key goes, the exact `gh` commands for the secrets and the labels
 * people add, the labels flowgate manages itself, and how to start a first run.
 */
export function renderInitReport(p: InitReportParams): string {
  const { workflow } = p;
  const lines: string[] = ['', 'Next, in this repository (with the GitHub CLI, `gh`):', ''];
  lines.push(...stateKeySteps(p.mode, workflow.on.schedule !== undefined));
  const secrets = neededSecrets(workflow);
  lines.push('2. Repository secrets the Actions jobs read:');
  for (const secret of secrets) {
    lines.push(`     gh secret set ${secret.name}    # ${secret.why}; paste the key when asked`);
  }
  if (secrets.length === 0) lines.push('     (none: no provider of this workflow reads a key)');
  lines.push('');

  const color = workflow.labels.color;
  const added = [...(workflow.on.labels ?? [])];
  const selected = [
    ...(workflow.on.schedule?.select.labels ?? []),
    ...(workflow.on.schedule?.select.exclude_labels ?? []),
  ];
  lines.push('3. Labels people add (create them once):');
  for (const label of [...new Set([...added, ...selected])]) {
    const why = added.includes(label) ? 'starts a run' : 'chooses what the sweep takes or skips';
    lines.push(`     gh label create ${JSON.stringify(label)} --color ${color}    # ${why}`);
  }
  if (added.length + selected.length === 0)
    lines.push('     (none: this workflow starts by command or schedule)');
  const managed = [
    ...new Set([...workflow.stages.flatMap((s) => s.labels), workflow.labels.awaiting_approval]),
  ];
  lines.push(
    `   Labels flowgate adds and removes itself: ${managed.map((l) => JSON.stringify(l)).join(', ')}.`,
    '',
  );

  lines.push(`4. The Action is referenced as ${p.action.uses} # ${p.action.version}.`);
  if (p.action.placeholder) {
    lines.push(
      '   That is a placeholder: replace OWNER with the owner of the flowgate repository you trust, and the zeros',
      '   with the full commit its release tag names (git ls-remote https://github.com/OWNER/flowgate refs/tags/<version>),',
      '   or run init again with --action <owner>/flowgate/action@<sha>. Never use a tag or a branch there.',
    );
  }
  lines.push('');
  if (p.mode === 'app') {
    lines.push('5. Install the flowgate GitHub App on this repository (README.md, "Running the app").');
  } else {
    lines.push(
      '5. No app to install: the Actions workflow runs flowgate on each event, and every 15 minutes for its timers.',
      '   flowgate-validate.yml checks .github/flowgate/ with `npx flowgate validate` on push and on pull requests:',
      '   commit package.json and package-lock.json (flowgate a devDependency), and require its check',
      '   "flowgate: workflow files" on the default branch to block merging a broken file.',
    );
  }
  const start = [
    ...added.map((l) => `add the label ${JSON.stringify(l)} to an issue`),
    ...(workflow.on.command === undefined ? [] : [`comment \`/flowgate start ${workflow.on.command}\``]),
    ...(workflow.on.schedule === undefined
      ? []
      : ['wait for the schedule, or run `gh workflow run flowgate-sweep.yml`']),
  ];
  lines.push(
    '6. Check the files (npx flowgate validate), commit and push them to the default branch, then',
    `   ${start.join(', or ') || 'start a run'}.`,
  );
  return `${lines.join('\n')}\n`;
}
