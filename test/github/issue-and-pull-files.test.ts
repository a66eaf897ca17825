import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { getIssue } from '../../src/github/get-issue.ts';
import { listPullFiles } from '../../src/github/list-pull-files.ts';
import { API, ISSUE, label, NOT_FOUND, nextLink, octokit, user } from './github-fixtures.ts';

/** An `issue` as the issues API sends it (trimmed of the URL templates flowgate never reads). */
function issue(body: string | null, pull: boolean) {
  return {
    id: 1,
    node_id: 'MDU6SXNzdWUx',
    url: `${API}/repos/acme/widgets/issues/7`,
    html_url: `https://github.com/acme/widgets/${pull ? 'pull' : 'issues'}/7`,
    number: 7,
    state: 'open',
    title: 'Add a --dry-run flag',
    body,
    user: user('alice'),
    labels: [label('bug'), label('flowgate:feature', 2)],
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: 3,
    closed_at: null,
    created_at: '2025-03-01T09:00:00Z',
    updated_at: '2025-03-02T09:00:00Z',
    author_association: 'MEMBER',
    ...(pull
      ? {
          pull_request: {
            url: `${API}/repos/acme/widgets/pulls/7`,
            html_url: 'https://github.com/acme/widgets/pull/7',
            diff_url: 'https://github.com/acme/widgets/pull/7.diff',
            patch_url: 'https://github.com/acme/widgets/pull/7.patch',
          },
        }
      : {}),
  };
}

/** A `diff-entry` as the pull request files API sends it. */
function file(filename: string, extra: Record<string, unknown> = {}) {
  return {
    sha: 'bbcd538c8e72b8c175046e27cc8f907076331401',
    filename,
    status: 'modified',
    additions: 3,
    deletions: 1,
    changes: 4,
    blob_url: `https://github.com/acme/widgets/blob/6dcb09b/${filename}`,
    raw_url: `https://github.com/acme/widgets/raw/6dcb09b/${filename}`,
    contents_url: `${API}/repos/acme/widgets/contents/${filename}?ref=6dcb09b`,
    patch: '@@ -1 +1,3 @@\n-a\n+b\n+c\n+d',
    ...extra,
  };
}

describe('getIssue', () => {
  it('reads an issue: title, body, author, label names, page, that it is no pull request, and the node ids', async () => {
    const scope = nock(API).get('/repos/acme/widgets/issues/7').reply(200, issue('Please add it.', false));
    expect(await getIssue(octokit(), ISSUE)).toEqual({
      number: 7,
      title: 'Add a --dry-run flag',
      body: 'Please add it.',
      author: 'alice',
      labels: ['bug', 'flowgate:feature'],
      state: 'open',
      url: 'https://github.com/acme/widgets/issues/7',
      isPull: false,
      createdAt: '2025-03-01T09:00:00Z',
      updatedAt: '2025-03-02T09:00:00Z',
      // The issue's and its labels' GraphQL node ids, as GitHub's answer gives them.
      nodeId: 'MDU6SXNzdWUx',
      labelIds: [
        { name: 'bug', nodeId: 'MDU6TGFiZWw208045946' },
        { name: 'flowgate:feature', nodeId: 'MDU6TGFiZWw2' },
      ],
    });
    expect(scope.isDone()).toBe(true);
  });

  it('reads a pull request through the issues API, with an empty body when it has none', async () => {
    nock(API).get('/repos/acme/widgets/issues/7').reply(200, issue(null, true));
    const info = await getIssue(octokit(), ISSUE);
    expect(info).toMatchObject({ body: '', isPull: true, url: 'https://github.com/acme/widgets/pull/7' });
  });

  it('lets a missing issue fail with its 404', async () => {
    nock(API).get('/repos/acme/widgets/issues/7').reply(404, NOT_FOUND);
    await expect(getIssue(octokit(), ISSUE)).rejects.toMatchObject({ status: 404 });
  });
});

describe('listPullFiles', () => {
  it('follows every page and keeps path, status, counts, patch and the path before a rename', async () => {
    const path = '/repos/acme/widgets/pulls/7/files';
    const scope = nock(API)
      .get(path)
      .query({ per_page: '100' })
      .reply(200, [file('src/a.ts')], nextLink(`${path}?per_page=100`, 2, 2))
      .get(path)
      .query({ per_page: '100', page: '2' })
      .reply(200, [
        file('docs/b.md', { status: 'renamed', previous_filename: 'docs/old.md' }),
        file('logo.png', { status: 'added', patch: undefined, additions: 0, deletions: 0 }),
      ]);
    const files = await listPullFiles(octokit(), ISSUE);
    expect(scope.isDone()).toBe(true);
    expect(files).toEqual([
      {
        path: 'src/a.ts',
        status: 'modified',
        additions: 3,
        deletions: 1,
        patch: '@@ -1 +1,3 @@\n-a\n+b\n+c\n+d',
      },
      {
        path: 'docs/b.md',
        status: 'renamed',
        additions: 3,
        deletions: 1,
        patch: '@@ -1 +1,3 @@\n-a\n+b\n+c\n+d',
        previousPath: 'docs/old.md',
      },
      { path: 'logo.png', status: 'added', additions: 0, deletions: 0 },
    ]);
  });
});
