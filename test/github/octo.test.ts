import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { GitHubClient } from '../../src/github/create-octokit.ts';
import { listIssueComments } from '../../src/github/list-issue-comments.ts';
import type { Octo } from '../../src/github/types.ts';
import { API, comment, ISSUE } from './github-fixtures.ts';

describe('Octo', () => {
  it("is satisfied by flowgate's client and by Probot's context.octokit", () => {
    expectTypeOf<GitHubClient>().toExtend<Octo>();
    expectTypeOf<ProbotOctokit>().toExtend<Octo>();
  });

  it("lets the adapter run on Probot's client", async () => {
    const probot = new ProbotOctokit({ auth: 't', retry: { enabled: false }, throttle: { enabled: false } });
    const scope = nock(API)
      .get('/repos/acme/widgets/issues/7/comments')
      .query(true)
      .reply(200, [comment(1, 'hi')]);
    expect(await listIssueComments(probot, ISSUE)).toMatchObject([{ id: 1, body: 'hi' }]);
    expect(scope.isDone()).toBe(true);
  });
});
