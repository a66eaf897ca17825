import { defuseOutputMarkers } from '../core/action-output.ts';
import { defusePullMarkers, pullMarker } from '../core/pull-marker.ts';

export interface PullBodyParams {
  /** The issue (or pull request) the run is on. */
  subject: number;
  stage: string;
  attempt?: number;
  /** What the change does, in a few lines (the Action's words or the agent's). Untrusted: markers are defused. */
  summary: string;
  /** The changed files. */
  files: readonly string[];
  /** The Actions run that made the change. */
  runUrl?: string;
}

/** Characters of the summary kept; the body stays far below GitHub's 65,536. */
export const SUMMARY_CHARS = 20_000;
const LISTED_FILES = 50;

/**
 * The description of a code stage's pull request: the summary, a line that links the subject (`#42`, a link
 * without a closing keyword, so merging does not close the issue), the changed files, and last the marker that
 * ties the pull request to the run (src/core/pull-marker.ts).
 */
export function pullBody(params: PullBodyParams): string {
  const trimmed = params.summary.trim();
  const summary =
    trimmed.length > SUMMARY_CHARS ? `${trimmed.slice(0, SUMMARY_CHARS)}\n\n…(summary cut)` : trimmed;
  const attempt = params.attempt === undefined ? '' : `, attempt ${params.attempt}`;
  const run = params.runUrl === undefined ? '' : ` ([run](${params.runUrl}))`;
  const shown = params.files.slice(0, LISTED_FILES).map((f) => `- \`${f.replace(/`/g, "'")}\``);
  const more =
    params.files.length > LISTED_FILES ? [`- …and ${params.files.length - LISTED_FILES} more`] : [];
  return [
    ...(summary === '' ? [] : [defuseOutputMarkers(defusePullMarkers(summary)), '']),
    `Made by flowgate for #${params.subject}: stage \`${params.stage}\`${attempt}${run}.`,
    '',
    `<details><summary>${params.files.length} changed file${params.files.length === 1 ? '' : 's'}</summary>`,
    '',
    ...shown,
    ...more,
    '',
    '</details>',
    '',
    pullMarker(params.subject),
  ].join('\n');
}
