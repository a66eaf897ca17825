import type { IssueRef, Octo } from './types.ts';

/** Requests reviews on a pull request from users and teams (`org/slug`; the org part is dropped). Cost: 1 POST. */
export async function requestReviewers(
  octokit: Octo,
  pull: IssueRef,
  reviewers: { users: string[]; teams: string[] },
): Promise<void> {
  if (reviewers.users.length === 0 && reviewers.teams.length === 0) return;
  await octokit.rest.pulls.requestReviewers({
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    reviewers: reviewers.users,
    team_reviewers: reviewers.teams.map((t) => t.split('/').at(-1) ?? t),
  });
}
