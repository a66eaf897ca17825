import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { getPull } from '../../src/github/get-pull.ts';
import { listReviews } from '../../src/github/list-reviews.ts';
import { API, ISSUE, nextLink, octokit, user } from './github-fixtures.ts';

const REVIEWS = '/repos/acme/widgets/pulls/7/reviews';

/** A `pull-request-review` as GitHub sends it. */
function review(id: number, login: string, state: string, submittedAt: string | undefined, type = 'User') {
  return {
    id,
    node_id: `PRR_${id}`,
    user: user(login, type as 'User' | 'Bot'),
    body: state === 'APPROVED' ? 'LGTM' : '',
    state,
    html_url: `https://github.com/acme/widgets/pull/7#pullrequestreview-${id}`,
    pull_request_url: `${API}/repos/acme/widgets/pulls/7`,
    _links: {
      html: { href: `https://github.com/acme/widgets/pull/7#pullrequestreview-${id}` },
      pull_request: { href: `${API}/repos/acme/widgets/pulls/7` },
    },
    ...(submittedAt === undefined ? {} : { submitted_at: submittedAt }),
    commit_id: 'ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091',
    author_association: 'COLLABORATOR',
  };
}

describe('listReviews', () => {
  it('follows every page and returns the reviews oldest submission first, pending last', async () => {
    const scope = nock(API)
      .get(REVIEWS)
      .query({ per_page: '100' })
      .reply(
        200,
        [
          review(80, 'mona', 'PENDING', undefined),
          review(81, 'hubot', 'COMMENTED', '2025-03-02T09:00:00Z', 'Bot'),
        ],
        nextLink(`${REVIEWS}?per_page=100`, 2, 2),
      )
      .get(REVIEWS)
      .query({ per_page: '100', page: '2' })
      .reply(200, [review(82, 'octocat', 'APPROVED', '2025-03-01T09:00:00Z')]);

    const reviews = await listReviews(octokit(), ISSUE);

    expect(scope.isDone()).toBe(true);
    expect(reviews.map((r) => r.id)).toEqual([82, 81, 80]);
    expect(reviews[0]).toEqual({
      id: 82,
      login: 'octocat',
      isBot: false,
      state: 'APPROVED',
      body: 'LGTM',
      commitId: 'ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091',
      submittedAt: '2025-03-01T09:00:00Z',
    });
    expect(reviews[1]?.isBot).toBe(true);
    expect(reviews[2]?.submittedAt).toBeNull();
  });
});

describe('getPull', () => {
  it('reads head, author, draft and branches', async () => {
    const branch = (ref: string, sha: string) => ({
      label: `acme:${ref}`,
      ref,
      sha,
      user: user('acme'),
      repo: null,
    });
    const scope = nock(API)
      .get('/repos/acme/widgets/pulls/7')
      .reply(200, {
        url: `${API}/repos/acme/widgets/pulls/7`,
        id: 1,
        node_id: 'PR_1',
        html_url: 'https://github.com/acme/widgets/pull/7',
        number: 7,
        state: 'closed',
        locked: false,
        title: 'Add widgets',
        user: user('mona'),
        body: 'Adds widgets',
        labels: [],
        created_at: '2025-03-01T09:00:00Z',
        updated_at: '2025-03-02T09:00:00Z',
        closed_at: '2025-03-02T09:00:00Z',
        merged_at: '2025-03-02T09:00:00Z',
        merge_commit_sha: 'e5bd3914e2e596debea16f433f57875b5b90bcd6',
        head: branch('feature/widgets', '6dcb09b5b57875f334f61aebed695e2e4193db5e'),
        base: branch('main', '9b3a4a9e1f7c8d8e2d3f5c1a0b9e8d7c6b5a4f3e'),
        draft: false,
        merged: true,
        mergeable: null,
        author_association: 'MEMBER',
        commits: 1,
        additions: 10,
        deletions: 2,
        changed_files: 3,
      });

    expect(await getPull(octokit(), ISSUE)).toEqual({
      headSha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
      author: 'mona',
      draft: false,
      baseRef: 'main',
      headRef: 'feature/widgets',
      state: 'closed',
      merged: true,
      url: 'https://github.com/acme/widgets/pull/7',
    });
    expect(scope.isDone()).toBe(true);
  });
});
