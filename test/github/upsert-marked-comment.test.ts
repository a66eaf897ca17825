import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/create-octokit.ts';
import { upsertMarkedComment } from '../../src/github/upsert-marked-comment.ts';
import { API, comment, ISSUE, octokit } from './github-fixtures.ts';

const COMMENTS = '/repos/acme/widgets/issues/7/comments';
const MARKER = '<!-- flowgate:status run=r1 -->';
const BODY = `${MARKER}\n**plan**: waiting for approval`;
const BAD_GATEWAY = { message: 'Server Error' };

describe('upsertMarkedComment', () => {
  describe('when no comment carries the marker', () => {
    it('creates it', async () => {
      const scope = nock(API)
        .get(COMMENTS)
        .query({ per_page: '100' })
        .reply(200, [comment(1, 'unrelated')])
        .post(COMMENTS, { body: BODY })
        .reply(201, comment(2, BODY, { login: 'flowgate[bot]', type: 'Bot', app: 'flowgate' }));

      const result = await upsertMarkedComment(octokit(), ISSUE, MARKER, BODY);

      expect(scope.isDone()).toBe(true);
      expect(result.created).toBe(true);
      expect(result.comment).toMatchObject({ id: 2, body: BODY, appSlug: 'flowgate' });
    });
  });

  describe('when comments carry the marker', () => {
    it('edits the oldest one', async () => {
      const scope = nock(API)
        .get(COMMENTS)
        .query(true)
        .reply(200, [comment(30, `${MARKER} newer copy`), comment(10, 'hello'), comment(20, `${MARKER} old`)])
        .patch('/repos/acme/widgets/issues/comments/20', { body: BODY })
        .reply(200, comment(20, BODY));

      const result = await upsertMarkedComment(octokit(), ISSUE, MARKER, BODY);

      expect(scope.isDone()).toBe(true);
      expect(result).toMatchObject({ created: false, comment: { id: 20, body: BODY } });
    });

    it('sends nothing when the comment already reads the body', async () => {
      const scope = nock(API)
        .get(COMMENTS)
        .query(true)
        .reply(200, [comment(20, BODY)]);
      const result = await upsertMarkedComment(octokit(), ISSUE, MARKER, BODY);
      expect(scope.isDone()).toBe(true);
      expect(result).toMatchObject({ created: false, comment: { id: 20 } });
    });

    it('looks in the known comments instead of listing them', async () => {
      const known = [{ ...toKnown(comment(20, `${MARKER} old`)) }, { ...toKnown(comment(21, 'unrelated')) }];
      const scope = nock(API)
        .patch('/repos/acme/widgets/issues/comments/20', { body: BODY })
        .reply(200, comment(20, BODY));
      const result = await upsertMarkedComment(octokit(), ISSUE, MARKER, BODY, known);
      expect(scope.isDone()).toBe(true);
      expect(result.created).toBe(false);
    });
  });

  describe('when the create answers 502', () => {
    it('adopts the comment GitHub created anyway, so the issue ends with ONE comment', async () => {
      const created = comment(2, BODY, { login: 'flowgate[bot]', type: 'Bot', app: 'flowgate' });
      const posts: unknown[] = [];
      const scope = nock(API)
        .get(COMMENTS)
        .query(true)
        .reply(200, [comment(1, 'unrelated')])
        .post(COMMENTS, (body) => posts.push(body) > 0)
        .reply(502, BAD_GATEWAY)
        .get(COMMENTS)
        .query(true)
        .reply(200, [comment(1, 'unrelated'), created]);

      const result = await upsertMarkedComment(octokit(), ISSUE, MARKER, BODY);

      expect(scope.isDone()).toBe(true);
      expect(posts).toEqual([{ body: BODY }]);
      expect(result).toMatchObject({ created: true, comment: { id: 2, body: BODY } });
    });

    it('does not let Octokit retry the create, even on a resilient client', async () => {
      // The retry plugin would repeat a POST answered 502: a second POST here would be a second comment.
      const resilient = createOctokit({ token: 't', resilient: true });
      let posts = 0;
      nock(API)
        .post(COMMENTS)
        .times(2)
        .reply(() => {
          posts += 1;
          return [502, BAD_GATEWAY];
        });
      const relist = nock(API)
        .get(COMMENTS)
        .query(true)
        .reply(200, [comment(2, BODY)]);

      const result = await upsertMarkedComment(resilient, ISSUE, MARKER, BODY, []);

      expect(posts).toBe(1);
      expect(relist.isDone()).toBe(true);
      expect(result.comment.id).toBe(2);
    });

    it('creates once more when the comment did not appear', async () => {
      const scope = nock(API)
        .post(COMMENTS, { body: BODY })
        .reply(502, BAD_GATEWAY)
        .get(COMMENTS)
        .query(true)
        .reply(200, [comment(1, 'unrelated')])
        .post(COMMENTS, { body: BODY })
        .reply(201, comment(3, BODY));

      const result = await upsertMarkedComment(octokit(), ISSUE, MARKER, BODY, []);

      expect(scope.isDone()).toBe(true);
      expect(result).toMatchObject({ created: true, comment: { id: 3 } });
    });

    it('treats a dropped connection like a 502', async () => {
      const scope = nock(API)
        .post(COMMENTS)
        .replyWithError('socket hang up') // nock 15 + fetch hangs on an object here: use the string form
        .get(COMMENTS)
        .query(true)
        .reply(200, [comment(2, BODY)]);
      const result = await upsertMarkedComment(octokit(), ISSUE, MARKER, BODY, []);
      expect(scope.isDone()).toBe(true);
      expect(result.comment.id).toBe(2);
    });

    it('gives up after the second create fails', async () => {
      const scope = nock(API)
        .post(COMMENTS)
        .reply(502, BAD_GATEWAY)
        .get(COMMENTS)
        .query(true)
        .reply(200, [])
        .post(COMMENTS)
        .reply(503, { message: 'Service Unavailable' });
      await expect(upsertMarkedComment(octokit(), ISSUE, MARKER, BODY, [])).rejects.toMatchObject({
        status: 503,
      });
      expect(scope.isDone()).toBe(true);
    });
  });

  it('does not list again after a 4xx: the comment was not created', async () => {
    const scope = nock(API).post(COMMENTS).reply(403, { message: 'Resource not accessible by integration' });
    await expect(upsertMarkedComment(octokit(), ISSUE, MARKER, BODY, [])).rejects.toMatchObject({
      status: 403,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('refuses a body over 65,536 characters before any request', async () => {
    const body = `${MARKER}${'x'.repeat(65_536)}`;
    await expect(upsertMarkedComment(octokit(), ISSUE, MARKER, body)).rejects.toThrow(
      /GitHub accepts at most 65536/,
    );
  });

  it('accepts a body of exactly 65,536 characters', async () => {
    const body = MARKER + 'x'.repeat(65_536 - MARKER.length);
    const scope = nock(API).post(COMMENTS, { body }).reply(201, comment(4, body));
    await upsertMarkedComment(octokit(), ISSUE, MARKER, body, []);
    expect(scope.isDone()).toBe(true);
  });

  it('refuses a body without its marker, which a later upsert could not find', async () => {
    await expect(upsertMarkedComment(octokit(), ISSUE, MARKER, 'no marker here', [])).rejects.toThrow(
      'the comment body does not contain its marker',
    );
  });
});

/** A comment as `listIssueComments` returns it, from GitHub's shape. */
function toKnown(raw: ReturnType<typeof comment>) {
  return {
    id: raw.id,
    body: raw.body,
    login: raw.user.login,
    isBot: false,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    url: raw.html_url,
  };
}
