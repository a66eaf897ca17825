import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/create-octokit.ts';
import { listCommentEdits } from '../../src/github/list-comment-edits.ts';
import { listIssueComments } from '../../src/github/list-issue-comments.ts';
import { updateComment } from '../../src/github/update-comment.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { mountStandIn } from '../support/nock-stand-in.ts';

const ISSUE = { owner: 'acme', repo: 'widgets', number: 7 };
const octokit = () => createOctokit({ token: 'ghs_test', resilient: false });

afterEach(() => {
  nock.cleanAll();
});

describe('listCommentEdits', () => {
  it("names each comment's last editor in REST's spelling, and null for one never edited", async () => {
    const github = new GitHubStandIn();
    mountStandIn(github);
    const status = github.addComment(7, 'flowgate[bot]', 'status', 'Bot');
    const output = github.addComment(7, 'github-actions[bot]', 'output', 'Bot');
    const remark = github.addComment(7, 'alice', 'remark');
    // The app edits its own comment (its PATCH is the authenticated identity); a writer edits the Action's.
    await updateComment(octokit(), ISSUE, status.id, 'status, rev 2');
    github.editComment(output.id, 'mallory', 'output, rewritten');
    const listed = await listIssueComments(octokit(), ISSUE);
    const ids = listed.map((c) => c.nodeId ?? '');
    expect(ids).toEqual([`IC_${status.id}`, `IC_${output.id}`, `IC_${remark.id}`]);

    const edits = await listCommentEdits(octokit(), [...ids, 'IC_404']);
    expect(edits.get(`IC_${status.id}`)).toEqual({
      editor: 'flowgate[bot]',
      at: status.updated_at,
      history: [{ editor: 'flowgate[bot]', at: status.updated_at }],
    });
    expect(edits.get(`IC_${output.id}`)).toMatchObject({ editor: 'mallory', at: output.updated_at });
    github.editComment(output.id, 'github-actions[bot]', 'output, put back');
    const again = await listCommentEdits(octokit(), [`IC_${output.id}`]);
    expect(again.get(`IC_${output.id}`)).toEqual({
      editor: 'github-actions[bot]',
      at: output.updated_at,
      history: [
        { editor: 'mallory', at: expect.any(String) },
        { editor: 'github-actions[bot]', at: output.updated_at },
      ],
    });
    expect(edits.get(`IC_${remark.id}`)).toBeNull();
    // A comment GitHub no longer knows (NOT_FOUND) is absent; the others are still answered.
    expect(edits.has('IC_404')).toBe(false);
    expect(github.log.filter((l) => l === 'POST /graphql')).toHaveLength(2);
  });

  it('asks nothing for no comments, and 100 comments a query', async () => {
    const github = new GitHubStandIn();
    mountStandIn(github);
    expect((await listCommentEdits(octokit(), [])).size).toBe(0);
    for (let i = 0; i < 150; i++) github.addComment(7, 'github-actions[bot]', `output ${i}`, 'Bot');
    const edits = await listCommentEdits(
      octokit(),
      github.comments.map((c) => `IC_${c.id}`),
    );
    expect(edits.size).toBe(150);
    expect(github.log.filter((l) => l === 'POST /graphql')).toHaveLength(2);
  });

  it('the stand-in refuses a GraphQL query it does not model, quoting it', () => {
    const github = new GitHubStandIn();
    const answer = github.handle({
      method: 'POST',
      path: '/graphql',
      query: new URLSearchParams(),
      body: { query: 'query { viewer { login } }' },
    });
    expect(answer).toEqual({
      status: 400,
      body: { message: 'the GitHub stand-in does not model this GraphQL query: query { viewer { login } }' },
    });
  });
});
