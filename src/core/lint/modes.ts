import type { Path } from '../diagnostic.ts';
import { exitsOf, type Stage, type Workflow } from '../workflow.ts';
import { error, type LintFinding, type LintRule, warning } from './finding.ts';

const GATES = ['gate', 'prompt_gate'] as const;

/** `automated` workflows never wait for a person. */
export const automatedHasNoHumans: LintRule = ({ parsed, workflow }) => {
  if (workflow.mode !== 'automated') return [];
  const findings: LintFinding[] = [];
  const human = (a: string | undefined) => a === 'manual' || a === 'review';
  if (human(parsed.defaults.gate?.approver)) {
    findings.push(
      error(
        'automated-human-gate',
        ['defaults', 'gate'],
        automatedMessage(parsed.defaults.gate?.approver ?? ''),
      ),
    );
  }
  for (const stage of workflow.stages) {
    const raw = parsed.stages[stage.index];
    for (const key of GATES) {
      const approver = raw?.[key]?.approver;
      if (human(approver)) {
        findings.push(
          error('automated-human-gate', ['stages', stage.index, key], automatedMessage(approver ?? '')),
        );
      }
    }
    if (stage.mode === 'manual') {
      findings.push(
        error(
          'automated-human-gate',
          ['stages', stage.index, 'mode'],
          'an automated workflow cannot have a manual stage: a person would have to supply the content',
        ),
      );
    }
  }
  return findings;
};

function automatedMessage(approver: string): string {
  return `an automated workflow cannot use the ${approver} approver, which waits for a person (use skip or ai:<provider>, or mode: interactive)`;
}

/** `review` gates wait for a PR review, so the run must have a pull request by then. */
export const reviewNeedsPullRequest: LintRule = ({ parsed, workflow }) => {
  if (workflow.on.subject === 'pull_request') return [];
  const findings: LintFinding[] = [];
  for (const stage of workflow.stages) {
    for (const key of GATES) {
      if (parsed.stages[stage.index]?.[key]?.approver !== 'review') continue;
      if (hasPullRequestBy(workflow, stage)) continue;
      findings.push(
        error(
          'review-without-pull-request',
          ['stages', stage.index, key],
          `the review approver waits for a pull request review, but stage "${stage.id}" may run without a pull request (set output: pull_request on this or an earlier stage, or on.subject: pull_request)`,
        ),
      );
    }
  }
  return findings;
};

/** True when the stage itself, or any stage on a way to it, opens a pull request. */
function hasPullRequestBy(workflow: Workflow, target: Stage): boolean {
  if (target.output === 'pull_request') return true;
  const ancestors = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of workflow.stages) {
      if (ancestors.has(s.id)) continue;
      if (exitsOf(s).some((to) => to === target.id || ancestors.has(to))) {
        ancestors.add(s.id);
        grew = true;
      }
    }
  }
  return workflow.stages.some((s) => ancestors.has(s.id) && s.output === 'pull_request');
}

/** ai stages use model providers, command stages use command agents, AI approvers are models. */
export const providerKinds: LintRule = ({ workflow }) => {
  const findings: LintFinding[] = [];
  const kind = (name: string | undefined) => (name === undefined ? undefined : workflow.providers[name]?.use);
  for (const stage of workflow.stages) {
    const at: Path = ['stages', stage.index];
    const use = kind(stage.provider);
    if (stage.mode === 'ai' && use === 'command') {
      findings.push(
        error(
          'provider-kind',
          [...at, 'provider'],
          `stage "${stage.id}" is an ai stage but provider "${stage.provider}" is a command agent (use mode: command)`,
        ),
      );
    }
    if (stage.mode === 'command' && use !== undefined && use !== 'command') {
      findings.push(
        error(
          'provider-kind',
          [...at, 'provider'],
          `stage "${stage.id}" is a command stage but provider "${stage.provider}" is a model (${use}); a command stage needs use: command`,
        ),
      );
    }
    for (const key of GATES) {
      const approver = stage[key].approver;
      if (approver.startsWith('ai:') && kind(approver.slice(3)) === 'command') {
        findings.push(
          error(
            'provider-kind',
            [...at, key],
            `an AI approver must be a model, but "${approver.slice(3)}" is a command agent`,
          ),
        );
      }
    }
  }
  return findings;
};

/** Fields that only make sense on some kinds of stage. */
export const fieldsFitTheStage: LintRule = ({ parsed, workflow }) => {
  const findings: LintFinding[] = [];
  for (const stage of workflow.stages) {
    const raw = parsed.stages[stage.index];
    const at: Path = ['stages', stage.index];
    const works = stage.mode === 'ai' || stage.mode === 'command';
    if (raw?.run !== undefined && stage.mode !== 'system') {
      findings.push(
        error(
          'misplaced-field',
          [...at, 'run'],
          `run lists actions of a system stage, but stage "${stage.id}" is ${stage.mode}`,
        ),
      );
    }
    if (stage.mode === 'system' && stage.type !== 'terminal' && raw?.run === undefined) {
      findings.push(
        warning('misplaced-field', at, `system stage "${stage.id}" has no run actions, so it does nothing`),
      );
    }
    if (raw?.prompt_gate !== undefined && !works) {
      findings.push(
        error(
          'misplaced-field',
          [...at, 'prompt_gate'],
          `prompt_gate needs a prompt, but stage "${stage.id}" is ${stage.mode}`,
        ),
      );
    }
    if (raw?.instructions !== undefined && !works && stage.mode !== 'manual') {
      findings.push(
        warning(
          'misplaced-field',
          [...at, 'instructions'],
          `instructions are ignored: stage "${stage.id}" is ${stage.mode}`,
        ),
      );
    }
    if (works && raw?.instructions === undefined) {
      findings.push(
        error(
          'missing-instructions',
          at,
          `${stage.mode} stage "${stage.id}" has no instructions to give the ${stage.mode === 'ai' ? 'model' : 'agent'}`,
        ),
      );
    }
    if (raw?.output?.startsWith('file:') === true && stage.mode !== 'ai') {
      const instead =
        stage.mode === 'command'
          ? 'a code stage publishes its changes as a pull request (output: pull_request)'
          : 'only an ai stage writes its answer to a file';
      findings.push(
        error(
          'misplaced-field',
          [...at, 'output'],
          `${raw.output} holds a model's answer, but stage "${stage.id}" is ${stage.mode}: ${instead}`,
        ),
      );
    }
    if (raw?.output === 'pull_request' && stage.mode === 'ai') {
      findings.push(
        error(
          'misplaced-field',
          [...at, 'output'],
          `a model's answer is text, so ai stage "${stage.id}" cannot open a pull request: give it a command provider (use: command) to change code, or use output: comment or file:<path>`,
        ),
      );
    }
    if (raw?.archive !== undefined && stage.type !== 'terminal') {
      findings.push(
        error(
          'misplaced-field',
          [...at, 'archive'],
          `archive applies when a run ends, but stage "${stage.id}" is not terminal`,
        ),
      );
    }
    if (stage.type === 'terminal' && raw?.gate !== undefined) {
      findings.push(
        error(
          'misplaced-field',
          [...at, 'gate'],
          `terminal stage "${stage.id}" cannot have a gate: nothing follows it`,
        ),
      );
    }
    for (const label of stage.labels) {
      if (label.length > 50) {
        findings.push(
          error(
            'label-too-long',
            [...at, 'id'],
            `the label "${label}" is longer than GitHub's 50 characters (shorten labels.prefix or the id, or set labels)`,
          ),
        );
      }
    }
  }
  return findings;
};

/**
 * A stage whose output is a model's or an agent's work and that declares no gate, in an interactive workflow with no
 * `defaults.gate`, waits for a person's approval: the default was `skip` before, so a file written for it now stops at
 * every such stage. The warning says so until the file writes the gate it means.
 */
export const implicitApprovalGate: LintRule = ({ parsed, workflow }) => {
  if (workflow.mode !== 'interactive' || parsed.defaults.gate !== undefined) return [];
  return workflow.stages
    .filter((stage) => stage.type !== 'terminal' && (stage.mode === 'ai' || stage.mode === 'command'))
    .filter((stage) => parsed.stages[stage.index]?.gate === undefined)
    .map((stage) =>
      warning(
        'implicit-approval-gate',
        ['stages', stage.index],
        `stage "${stage.id}" declares no gate, so its output waits for a person's /approve (the default gate of ai and command stages is manual; it used to be skip). Write gate: manual (or defaults: { gate: manual }) to keep this, or gate: skip to let the output pass on its own`,
      ),
    );
};
