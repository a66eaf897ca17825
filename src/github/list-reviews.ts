import type { IssueRef, Octo, PullReview, ReviewState } from './types.ts';

/**
 * Every review of a pull request, oldest submission first (a PENDING review, not submitted yet, last).
 * Cost: ceil(reviews / 100) GETs, at least 1.
 */
export async function listReviews(octokit: Octo, pull: IssueRef): Promise<PullReview[]> {
  const raw = await octokit.paginate(octokit.rest.pulls.listReviews, {
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  const reviews = raw.map(
    (review): PullReview => ({
      id: review.id,
      login: review.user?.login ?? 'ghost',
      isBot: review.user?.type === 'Bot',
      state: review.state as ReviewState,
      body: review.body ?? '',
      commitId: review.commit_id ?? null,
      submittedAt: review.submitted_at ?? null,
    }),
  );
  return reviews.sort((a, b) => order(a) - order(b) || a.id - b.id);
}

function order(review: PullReview): number {
  return review.submittedAt === null ? Number.POSITIVE_INFINITY : Date.parse(review.submittedAt);
}
