import * as core from '@actions/core';
import { createOctokit, type GitHubClient } from '../github/create-octokit.ts';
import type { SubjectEvent } from '../reconcile/subject-event.ts';
import { type InputSource, readGitHub, readStateKey } from './inputs.ts';
import { requestEarly } from './request-early.ts';

/**
 * For the Action alone on a subject's event: builds the job's GitHub client and sends the reconcile's first read,
 * the listing of the subject's comments (as `listIssueCommentsSince` asks for it, in full), before the engine is
 * loaded; the reconcile's own listing then takes that answer (`requestEarly`). Undefined, with nothing sent, when
 * the inputs would stop the job before any request (runAppLess reports them).
 * Cost: none; the listing is the reconcile's own first GET, sent sooner.
 */
export function earlyListing(
  source: InputSource,
  subject: SubjectEvent,
): { octokit: GitHubClient; sent: Promise<unknown> } | undefined {
  const problems: string[] = [];
  const github = readGitHub(source, problems);
  readStateKey(source, problems, 'sign');
  if (problems.length > 0 || github === undefined) return undefined;
  const octokit = createOctokit({
    token: github.token,
    baseUrl: github.apiUrl,
    resilient: source.env.FLOWGATE_GITHUB_RESILIENT !== 'false',
    log: core.info,
  });
  const sent = requestEarly(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: github.repo.owner,
    repo: github.repo.repo,
    issue_number: subject.number,
    per_page: 100,
  });
  return { octokit, sent };
}
