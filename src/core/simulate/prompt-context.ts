import type { RunState } from '../state/run-state.ts';
import type { Stage, Workflow } from '../workflow.ts';
import type { ScriptSubject } from './script.ts';

/** What the offline provider knows about a simulated run besides its state: the texts GitHub would hold. */
export interface SimulatedRun {
  workflow: Workflow;
  state: RunState;
  subject: ResolvedSubject;
  /** The latest output text of each stage (a response, a person's content), by stage id. */
  texts: Readonly<Record<string, string>>;
  /** The latest rendered prompt of each stage, by stage id. */
  prompts: Readonly<Record<string, string>>;
}

/** The script's subject with its defaults settled (kind and labels depend on the workflow). */
export interface ResolvedSubject extends Omit<ScriptSubject, 'kind' | 'labels'> {
  kind: 'issue' | 'pull_request';
  labels: string[];
}

/** A made-up repository, so that links in prompts and comments look like GitHub's. */
export const SIMULATED_REPO_URL = 'https://github.com/example/repo';

/**
 * The template context of `stage` (the variables in TEMPLATE_VARIABLES), built from the simulated subject and the
 * outputs so far. Text that people or models wrote (bodies, comments, outputs, feedback) is fenced and labelled as
 * data, as a real prompt must show it.
 */
export function promptContext(run: SimulatedRun, stage: Stage): Record<string, unknown> {
  const { workflow, state, subject, texts } = run;
  const record = state.stages[stage.id];
  const attempt = record?.attempt ?? 0;
  const path = subject.kind === 'pull_request' ? 'pull' : 'issues';
  const pr = subject.pr;
  const diffSummary =
    pr.diff_summary ??
    `${pr.files.length} files changed, ${pr.additions} insertions(+), ${pr.deletions} deletions(-)`;
  return {
    subject: {
      title: subject.title,
      body: fenceData('subject.body', subject.body),
      number: subject.number,
      url: `${SIMULATED_REPO_URL}/${path}/${subject.number}`,
      author: subject.author,
      labels: state.subject.labels,
      type: subject.kind,
      draft: false,
      base: 'main',
      head: `flowgate/${state.id}`,
    },
    workflow: { name: workflow.name, description: workflow.description ?? '' },
    run: { id: state.id, attempt, started_at: state.started_at },
    stage: { id: stage.id, name: stage.name, attempt },
    outputs: Object.fromEntries(
      Object.entries(texts).map(([id, text]) => [id, fenceData(`outputs.${id}`, text)]),
    ),
    feedback: fenceData('feedback', record?.feedback ?? ''),
    ask_human: stage.gate.ask_human ?? '',
    pr: {
      diff_summary: fenceData('pr.diff_summary', diffSummary),
      files: pr.files,
      additions: pr.additions,
      deletions: pr.deletions,
    },
    comments: subject.comments.map((c) => ({
      author: c.author,
      body: fenceData(`comment by ${c.author}`, c.body),
    })),
  };
}

/**
 * Untrusted text as a labelled block that no line inside it can close; empty text stays empty (so that
 * `{% if feedback != blank %}` still works).
 */
export function fenceData(label: string, text: string): string {
  if (text.trim() === '') return '';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}data: ${label}\n${text.replace(/\s+$/, '')}\n${fence}`;
}
