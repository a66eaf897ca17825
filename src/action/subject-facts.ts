import { getIssue, type IssueInfo } from '../github/get-issue.ts';
import { getPull, type PullInfo } from '../github/get-pull.ts';
import { listPullFiles, type PullFile } from '../github/list-pull-files.ts';
import type { IssueRef, Octo } from '../github/types.ts';

/** What GitHub holds about the run's subject beyond its comments. */
export interface SubjectFacts {
  issue: IssueInfo;
  /** For a pull request: its branches and the files it changes. */
  pull?: { info: PullInfo; files: PullFile[] };
}

/**
 * Reads the issue or pull request a run is on; `known` is the issue as this job read it already (a sweep's
 * listing), taken instead of reading it again.
 * Cost: 1 GET for an issue (0 when `known`); for a pull request 2 GETs more plus one per 100 changed files.
 */
export async function readSubjectFacts(
  octokit: Octo,
  subject: IssueRef,
  known?: IssueInfo,
): Promise<SubjectFacts> {
  const issue = known ?? (await getIssue(octokit, subject));
  if (!issue.isPull) return { issue };
  const [info, files] = await Promise.all([getPull(octokit, subject), listPullFiles(octokit, subject)]);
  return { issue, pull: { info, files } };
}
