import { runPullNumber } from '../core/state/run-pull-number.ts';
import type { RunState } from '../core/state/run-state.ts';
import { getPull, type PullInfo } from '../github/get-pull.ts';
import { listPullFiles, type PullFile } from '../github/list-pull-files.ts';
import type { IssueRef, Octo } from '../github/types.ts';
import type { SubjectFacts } from './subject-facts.ts';

/**
 * The run's pull request (`runPullNumber`) with the files it changes, for `pr.*` in prompts; the subject's, read
 * already, when the run is on that pull request; undefined while the run has none.
 * Cost: none when it is the subject or there is none; else 1 GET plus one per 100 changed files.
 */
export async function readRunPull(
  octokit: Octo,
  subject: IssueRef,
  state: RunState,
  facts: SubjectFacts,
): Promise<{ number: number; info: PullInfo; files: PullFile[] } | undefined> {
  const number = runPullNumber(state);
  if (number === undefined) return undefined;
  if (number === subject.number && facts.pull !== undefined) return { number, ...facts.pull };
  const ref = { ...subject, number };
  const [info, files] = await Promise.all([getPull(octokit, ref), listPullFiles(octokit, ref)]);
  return { number, info, files };
}
