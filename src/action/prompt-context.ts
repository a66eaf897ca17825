import type { RunState } from '../core/state/run-state.ts';
import type { Stage, Workflow } from '../core/workflow.ts';
import type { PullInfo } from '../github/get-pull.ts';
import type { PullFile } from '../github/list-pull-files.ts';
import type { IssueComment } from '../github/types.ts';
import { fenceValue } from './fence-value.ts';
import { pullPatches } from './pull-patches.ts';
import { sanitizeCode, sanitizeLine, sanitizeUntrusted } from './sanitize-untrusted.ts';
import type { SubjectFacts } from './subject-facts.ts';

export interface PromptContextParams {
  workflow: Workflow;
  state: RunState;
  stage: Stage;
  facts: SubjectFacts;
  /** Every comment on the subject; only people's comments from before the run started are used. */
  comments: readonly IssueComment[];
  /** The latest output text of each earlier stage, by stage id (see `readOutputs`). */
  outputs: Readonly<Record<string, string>>;
  /**
   * The run's pull request (`runPullNumber`), what `pr` describes: the one its code stages opened, else the
   * subject when it is a pull request. Default: the subject's (`facts.pull`).
   */
  runPull?: { number: number; info: PullInfo; files: PullFile[] };
}

/** At most this many changed files are listed one per line in `pr.diff_summary`. */
export const DIFF_SUMMARY_FILES = 300;

/**
 * The template context of a stage's `instructions` (the variables of TEMPLATE_VARIABLES), built from what GitHub
 * holds. Text that people or models wrote (bodies, comments, outputs, feedback, the diff summary) is sanitised
 * (`sanitizeUntrusted`), and every value people wrote (title, labels, branch and file names too) is fenced as data
 * on lines of its own (`fenceValue`), wherever a template puts it: a fence opened mid-line is no fence.
 * Comments created or edited after the run started are left out, as are flowgate's own comments. The title and
 * the labels are the ones the run started with. `pr` is the run's pull request, on an issue too: its number, page,
 * changed files and `diff_summary` (the counts, then each file's patch, bounded as `pullPatches` says). Pure.
 */
export function promptContext(params: PromptContextParams): Record<string, unknown> {
  const { workflow, state, stage, facts, outputs } = params;
  const attempt = state.stages[stage.id]?.attempt ?? 0;
  const pull = facts.pull;
  const runPull =
    params.runPull ?? (pull === undefined ? undefined : { number: state.subject.number, ...pull });
  const files = runPull?.files ?? [];
  const additions = files.reduce((sum, f) => sum + f.additions, 0);
  const deletions = files.reduce((sum, f) => sum + f.deletions, 0);
  return {
    subject: {
      title: fenceValue(
        'subject.title',
        sanitizeLine(state.subject.title === '' ? facts.issue.title : state.subject.title),
      ),
      body: fenceValue('subject.body', sanitizeUntrusted(facts.issue.body)),
      number: state.subject.number,
      url: facts.issue.url,
      author: state.subject.author,
      labels: state.subject.labels.map((l) => fenceValue('label', sanitizeLine(l))),
      type: state.subject.kind,
      draft: pull?.info.draft ?? false,
      base: pull === undefined ? '' : fenceValue('subject.base', sanitizeLine(pull.info.baseRef)),
      head: pull === undefined ? '' : fenceValue('subject.head', sanitizeLine(pull.info.headRef)),
    },
    workflow: { name: workflow.name, description: workflow.description ?? '' },
    run: { id: state.id, attempt, started_at: state.started_at },
    stage: { id: stage.id, name: stage.name, attempt },
    outputs: Object.fromEntries(
      Object.entries(outputs).map(([id, text]) => [id, fenceValue(`outputs.${id}`, sanitizeUntrusted(text))]),
    ),
    feedback: fenceValue('feedback', sanitizeUntrusted(state.stages[stage.id]?.feedback ?? '')),
    ask_human: stage.gate.ask_human ?? '',
    pr: {
      number: runPull?.number ?? 0,
      url: runPull?.info.url ?? '',
      diff_summary:
        runPull === undefined
          ? ''
          : fenceValue(
              'pr.diff_summary',
              [sanitizeCode(diffSummary(files)), pullPatches(files)].filter((t) => t !== '').join('\n\n'),
            ),
      files: files.map((f) => fenceValue('file', sanitizeLine(f.path))),
      additions,
      deletions,
    },
    comments: commentsBefore(params.comments, state.started_at).map((c) => ({
      author: c.login,
      body: fenceValue(`comment by ${c.login}`, sanitizeUntrusted(c.body)),
    })),
  };
}

/**
 * People's comments that existed, unedited, when the run started: text changed later is not what the run was
 * started on. Comments carrying a flowgate marker (status, outputs, replies) are left out.
 */
export function commentsBefore(comments: readonly IssueComment[], startedAt: string): IssueComment[] {
  const start = Date.parse(startedAt);
  return comments.filter(
    (c) =>
      Date.parse(c.createdAt) <= start &&
      Date.parse(c.updatedAt) <= start &&
      !/<!--\s*flowgate:/i.test(c.body),
  );
}

const STATUS_LETTER: Record<PullFile['status'], string> = {
  added: 'A',
  removed: 'D',
  modified: 'M',
  renamed: 'R',
  copied: 'C',
  changed: 'T',
  unchanged: ' ',
};

/** `3 files changed, 10 insertions(+), 2 deletions(-)` and one line per file (`M src/a.ts (+3 -1)`). */
export function diffSummary(files: readonly PullFile[]): string {
  const additions = files.reduce((sum, f) => sum + f.additions, 0);
  const deletions = files.reduce((sum, f) => sum + f.deletions, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `${plural(files.length, 'file')} changed, ${plural(additions, 'insertion')}(+), ${plural(deletions, 'deletion')}(-)`,
  ];
  for (const f of files.slice(0, DIFF_SUMMARY_FILES)) {
    const path = f.previousPath === undefined ? f.path : `${f.previousPath} -> ${f.path}`;
    lines.push(`${STATUS_LETTER[f.status]} ${sanitizeLine(path)} (+${f.additions} -${f.deletions})`);
  }
  if (files.length > DIFF_SUMMARY_FILES)
    lines.push(`... and ${files.length - DIFF_SUMMARY_FILES} more files`);
  return lines.join('\n');
}
