import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/create-octokit.ts';
import { findOpenPull } from '../../src/github/find-open-pull.ts';
import { upsertPull } from '../../src/github/upsert-pull.ts';
import { API, octokit, REPO, user } from './github-fixtures.ts';

const PULLS = '/repos/acme/widgets/pulls';
const BRANCH = 'flowgate/7-implement';
const MARKER = '<!-- flowgate:pr issue=7 -->';
const BODY = `Adds the --dry-run flag.\n\n${MARKER}`;
const TITLE = 'implement: Add a --dry-run flag (#7)';
const NEW_PULL = { head: BRANCH, base: 'main', title: TITLE, body: BODY };
const SHA = '9fceb02d0ae598e95dc970b74767f19372d61af8';

/** A `pull-request` as the pulls API sends it (list answers carry the same fields that flowgate reads). */
function pullRequest(number: number, options: { body?: string | null; title?: string; head?: string } = {}) {
  const branch = (ref: string, sha: string) => ({
    label: `acme:${ref}`,
    ref,
    sha,
    user: user('acme', 'User', 9),
    repo: null,
  });
  return {
    url: `${API}/repos/acme/widgets/pulls/${number}`,
    id: 1000 + number,
    node_id: `PR_${number}`,
    html_url: `https://github.com/acme/widgets/pull/${number}`,
    diff_url: `https://github.com/acme/widgets/pull/${number}.diff`,
    patch_url: `https://github.com/acme/widgets/pull/${number}.patch`,
    issue_url: `${API}/repos/acme/widgets/issues/${number}`,
    number,
    state: 'open',
    locked: false,
    title: options.title ?? TITLE,
    user: user('github-actions[bot]', 'Bot', 41898282),
    body: options.body === undefined ? BODY : options.body,
    labels: [],
    milestone: null,
    created_at: '2025-06-12T10:00:00Z',
    updated_at: '2025-06-12T10:00:00Z',
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branch(options.head ?? BRANCH, SHA),
    base: branch('main', '6dcb09b5b57875f334f61aebed695e2e4193db5e'),
    draft: false,
    author_association: 'NONE',
    auto_merge: null,
    active_lock_reason: null,
  };
}

const SUMMARY = {
  number: 57,
  headSha: SHA,
  headRef: BRANCH,
  baseRef: 'main',
  title: TITLE,
  body: BODY,
  url: 'https://github.com/acme/widgets/pull/57',
};

describe('findOpenPull', () => {
  it('asks for open pull requests from owner:branch and returns the oldest', async () => {
    const scope = nock(API)
      .get(PULLS)
      .query({ head: `acme:${BRANCH}`, state: 'open', per_page: '100' })
      .reply(200, [pullRequest(60), pullRequest(57)]);
    expect(await findOpenPull(octokit(), REPO, BRANCH)).toEqual(SUMMARY);
    expect(scope.isDone()).toBe(true);
  });

  it('returns undefined when none is open, and reads a missing body as empty', async () => {
    nock(API).get(PULLS).query(true).reply(200, []);
    expect(await findOpenPull(octokit(), REPO, BRANCH)).toBeUndefined();
    nock(API)
      .get(PULLS)
      .query(true)
      .reply(200, [pullRequest(3, { body: null })]);
    expect((await findOpenPull(octokit(), REPO, BRANCH))?.body).toBe('');
  });
});

describe('upsertPull', () => {
  describe('when no pull request is open from the branch', () => {
    it('opens one', async () => {
      const scope = nock(API)
        .get(PULLS)
        .query(true)
        .reply(200, [])
        .post(PULLS, { head: BRANCH, base: 'main', title: TITLE, body: BODY, draft: false })
        .reply(201, pullRequest(57));
      expect(await upsertPull(octokit(), REPO, NEW_PULL, MARKER)).toEqual({ pull: SUMMARY, created: true });
      expect(scope.isDone()).toBe(true);
    });
  });

  describe('when one is open from the branch', () => {
    it('rewrites its title and body when they changed', async () => {
      const scope = nock(API)
        .get(PULLS)
        .query(true)
        .reply(200, [pullRequest(57, { body: `First attempt.\n\n${MARKER}`, title: 'old' })])
        .patch(`${PULLS}/57`, { title: TITLE, body: BODY })
        .reply(200, pullRequest(57));
      expect(await upsertPull(octokit(), REPO, NEW_PULL, MARKER)).toEqual({ pull: SUMMARY, created: false });
      expect(scope.isDone()).toBe(true);
    });

    it('sends nothing more when it already reads the same', async () => {
      const scope = nock(API)
        .get(PULLS)
        .query(true)
        .reply(200, [pullRequest(57)]);
      expect(await upsertPull(octokit(), REPO, NEW_PULL, MARKER)).toEqual({ pull: SUMMARY, created: false });
      expect(scope.isDone()).toBe(true);
    });

    it('leaves a pull request flowgate did not write as it is', async () => {
      const scope = nock(API)
        .get(PULLS)
        .query(true)
        .reply(200, [pullRequest(57, { body: 'My own description.', title: 'Mine' })]);
      const result = await upsertPull(octokit(), REPO, NEW_PULL, MARKER);
      expect(result).toMatchObject({ created: false, pull: { number: 57, title: 'Mine' } });
      expect(scope.isDone()).toBe(true);
    });
  });

  describe('when the create fails', () => {
    it('does not let Octokit retry it, and adopts the pull request GitHub opened anyway', async () => {
      const resilient = createOctokit({ token: 't', resilient: true });
      let posts = 0;
      const scope = nock(API)
        .get(PULLS)
        .query(true)
        .reply(200, [])
        .post(PULLS)
        .times(2)
        .reply(() => {
          posts += 1;
          return [502, { message: 'Server Error' }];
        })
        .get(PULLS)
        .query(true)
        .reply(200, [pullRequest(57)]);
      const result = await upsertPull(resilient, REPO, NEW_PULL, MARKER);
      expect(posts).toBe(1);
      expect(result).toEqual({ pull: SUMMARY, created: true });
      expect(nock.pendingMocks()).toEqual([`POST ${API}:443${PULLS}`]);
      expect(scope.isDone()).toBe(false);
    });

    it('adopts the one opened in between when GitHub says it already exists', async () => {
      nock(API)
        .get(PULLS)
        .query(true)
        .reply(200, [])
        .post(PULLS)
        .reply(422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for acme:${BRANCH}.`,
            },
          ],
          documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        })
        .get(PULLS)
        .query(true)
        .reply(200, [pullRequest(57)]);
      expect(await upsertPull(octokit(), REPO, NEW_PULL, MARKER)).toEqual({ pull: SUMMARY, created: false });
    });

    it('rethrows a 422 when no pull request is open after all', async () => {
      nock(API)
        .get(PULLS)
        .query(true)
        .reply(200, [])
        .post(PULLS)
        .reply(422, {
          message: 'Validation Failed',
          errors: [{ resource: 'PullRequest', field: 'base', code: 'invalid' }],
        })
        .get(PULLS)
        .query(true)
        .reply(200, []);
      await expect(upsertPull(octokit(), REPO, NEW_PULL, MARKER)).rejects.toMatchObject({ status: 422 });
    });

    it('rethrows a 403 at once', async () => {
      const scope = nock(API)
        .get(PULLS)
        .query(true)
        .reply(200, [])
        .post(PULLS)
        .reply(403, { message: 'Resource not accessible by integration' });
      await expect(upsertPull(octokit(), REPO, NEW_PULL, MARKER)).rejects.toMatchObject({ status: 403 });
      expect(scope.isDone()).toBe(true);
    });
  });

  it('refuses a body without its marker, before any request', async () => {
    await expect(upsertPull(octokit(), REPO, { ...NEW_PULL, body: 'no marker' }, MARKER)).rejects.toThrow(
      'the pull request body does not contain its marker "<!-- flowgate:pr issue=7 -->"',
    );
  });
});
