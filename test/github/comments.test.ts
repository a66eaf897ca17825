import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { addReaction } from '../../src/github/add-reaction.ts';
import { getComment } from '../../src/github/get-comment.ts';
import { listIssueComments } from '../../src/github/list-issue-comments.ts';
import { updateComment } from '../../src/github/update-comment.ts';
import { API, comment, ISSUE, NOT_FOUND, nextLink, octokit, REPO } from './github-fixtures.ts';

const COMMENTS = '/repos/acme/widgets/issues/7/comments';

describe('listIssueComments', () => {
  it('follows every page, 100 at a time, and returns the comments oldest first', async () => {
    const firstPage = Array.from({ length: 100 }, (_, i) => comment(1000 + i, `comment ${i}`));
    const scope = nock(API)
      .get(COMMENTS)
      .query({ per_page: '100' })
      .reply(200, firstPage, nextLink(`${COMMENTS}?per_page=100`, 2, 2))
      .get(COMMENTS)
      .query({ per_page: '100', page: '2' })
      .reply(200, [comment(2000, 'last one', { login: 'flowgate[bot]', type: 'Bot', app: 'flowgate' })]);

    const comments = await listIssueComments(octokit(), ISSUE);

    expect(scope.isDone()).toBe(true);
    expect(comments).toHaveLength(101);
    expect(comments[0]?.body).toBe('comment 0');
    expect(comments[100]).toEqual({
      id: 2000,
      nodeId: 'IC_kwDOA2000',
      body: 'last one',
      login: 'flowgate[bot]',
      isBot: true,
      appSlug: 'flowgate',
      createdAt: '2025-03-03T10:00:00Z',
      updatedAt: '2025-03-03T10:00:00Z',
      url: 'https://github.com/acme/widgets/issues/7#issuecomment-2000',
    });
  });

  it('reads a comment by a deleted account as ghost, and a person as no bot without an app', async () => {
    const gone = { ...comment(5, 'orphan'), user: null };
    nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [gone, comment(4, 'hi')]);
    const [first, second] = await listIssueComments(octokit(), ISSUE);
    expect(first).toMatchObject({ id: 4, login: 'octocat', isBot: false });
    expect(first).not.toHaveProperty('appSlug');
    expect(second).toMatchObject({ id: 5, login: 'ghost', isBot: false });
  });
});

describe('getComment', () => {
  it('returns the comment', async () => {
    const scope = nock(API).get('/repos/acme/widgets/issues/comments/42').reply(200, comment(42, 'hello'));
    expect(await getComment(octokit(), REPO, 42)).toMatchObject({ id: 42, body: 'hello' });
    expect(scope.isDone()).toBe(true);
  });

  it('returns undefined for a deleted comment (404)', async () => {
    nock(API).get('/repos/acme/widgets/issues/comments/42').reply(404, NOT_FOUND);
    expect(await getComment(octokit(), REPO, 42)).toBeUndefined();
  });

  it('lets other failures through', async () => {
    nock(API).get('/repos/acme/widgets/issues/comments/42').reply(500, { message: 'Server Error' });
    await expect(getComment(octokit(), REPO, 42)).rejects.toMatchObject({ status: 500 });
  });
});

describe('updateComment', () => {
  it('sends the new body and returns the edited comment', async () => {
    const scope = nock(API)
      .patch('/repos/acme/widgets/issues/comments/42', { body: 'new text' })
      .reply(200, comment(42, 'new text'));
    expect(await updateComment(octokit(), REPO, 42, 'new text')).toMatchObject({ id: 42, body: 'new text' });
    expect(scope.isDone()).toBe(true);
  });

  it('refuses a body over 65,536 characters without sending it', async () => {
    await expect(updateComment(octokit(), REPO, 42, 'x'.repeat(65_537))).rejects.toThrow(
      'comment body is 65537 characters; GitHub accepts at most 65536',
    );
  });
});

describe('addReaction', () => {
  it('posts the reaction to the comment', async () => {
    const scope = nock(API)
      .post('/repos/acme/widgets/issues/comments/42/reactions', { content: 'eyes' })
      .reply(201, {
        id: 1,
        node_id: 'MDg6UmVhY3Rpb24x',
        user: comment(1, '').user,
        content: 'eyes',
        created_at: '2025-03-01T10:00:00Z',
      });
    await addReaction(octokit(), REPO, 42, 'eyes');
    expect(scope.isDone()).toBe(true);
  });
});
