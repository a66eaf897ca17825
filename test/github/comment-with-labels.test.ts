import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/create-octokit.ts';
import { listIssueComments } from '../../src/github/list-issue-comments.ts';
import type { IssueComment } from '../../src/github/types.ts';
import { updateCommentWithLabels } from '../../src/github/update-comment-with-labels.ts';
import { labelNodeId } from '../../src/memory-github/memory-github.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { mountStandIn } from '../support/nock-stand-in.ts';
import { serveStandIn } from '../support/serve-stand-in.ts';

const ISSUE = { owner: 'acme', repo: 'widgets', number: 7 };
const octokit = () => createOctokit({ token: 'ghs_test', resilient: false });

afterEach(() => {
  nock.cleanAll();
});

/** Issue 7 with the plan and awaiting-approval labels, and the app's status comment on it, as listed. */
async function atTheGate(github: GitHubStandIn, client = octokit()) {
  github.issues.set(7, {
    title: 'Feature',
    author: 'alice',
    labels: ['flowgate: plan', 'flowgate: awaiting approval'],
    state: 'open',
    pull: false,
  });
  github.repoLabels.add('flowgate: implement');
  github.addComment(7, 'flowgate[bot]', 'status, rev 1', 'Bot');
  const [status] = await listIssueComments(client, ISSUE);
  if (status?.nodeId === undefined) throw new Error('no status comment');
  return { ...status, nodeId: status.nodeId };
}

/** The status comment's rev 2 on issue 7 (`I_7`), with these label ids added and taken off. */
const rev2 = (
  comment: IssueComment & { nodeId: string },
  add: string[],
  remove: string[] = [],
  body = 'status, rev 2',
) => ({
  comment,
  body,
  subjectNodeId: 'I_7',
  add,
  remove,
});

describe('updateCommentWithLabels', () => {
  it('edits the comment, adds and takes off labels in one request, and gives the edit GitHub made', async () => {
    const github = new GitHubStandIn();
    mountStandIn(github);
    const status = await atTheGate(github);
    const from = github.log.length;
    const done = await updateCommentWithLabels(
      octokit(),
      rev2(
        status,
        [labelNodeId('flowgate: implement')],
        [labelNodeId('flowgate: plan'), labelNodeId('flowgate: awaiting approval')],
      ),
    );
    expect(github.log.slice(from)).toEqual(['POST /graphql mutation']);
    const stored = github.comments.find((c) => c.id === status.id);
    expect(done).toEqual({
      edited: { ...status, body: 'status, rev 2', updatedAt: stored?.updated_at },
      labels: 'set',
    });
    expect(stored).toMatchObject({ body: 'status, rev 2', editor: 'flowgate[bot]' });
    expect(github.issues.get(7)?.labels).toEqual(['flowgate: implement']);
  });

  it('a label GitHub does not know: the comment is edited, the labels are said to have failed', async () => {
    const github = new GitHubStandIn();
    mountStandIn(github);
    const status = await atTheGate(github);
    const done = await updateCommentWithLabels(
      octokit(),
      rev2(status, ['LA_deleted'], [labelNodeId('flowgate: plan')]),
    );
    expect(done).toMatchObject({ edited: { body: 'status, rev 2' }, labels: 'failed' });
    expect('why' in done ? done.why : '').toContain("'LA_deleted'");
    expect(github.comments.find((c) => c.id === status.id)?.body).toBe('status, rev 2');
  });

  it('a server that refuses the mutation as a whole: nothing is written, and it says so', async () => {
    const github = new GitHubStandIn();
    mountStandIn(github);
    const status = await atTheGate(github);
    github.refuseMutations = true;
    const done = await updateCommentWithLabels(
      octokit(),
      rev2(status, [labelNodeId('flowgate: implement')], []),
    );
    expect(done).toEqual({ edited: undefined, refused: true, why: 'GraphQL answered 400' });
    expect(github.comments.find((c) => c.id === status.id)?.body).toBe('status, rev 1');
    expect(github.issues.get(7)?.labels).toEqual(['flowgate: plan', 'flowgate: awaiting approval']);
  });

  it('a comment GitHub no longer knows: not edited, and not a refusal of the request', async () => {
    const github = new GitHubStandIn();
    mountStandIn(github);
    const status = await atTheGate(github);
    const done = await updateCommentWithLabels(
      octokit(),
      rev2({ ...status, nodeId: 'IC_404' }, [], [labelNodeId('flowgate: plan')]),
    );
    expect(done).toMatchObject({ edited: undefined, refused: false });
    expect(github.comments.find((c) => c.id === status.id)?.body).toBe('status, rev 1');
  });

  it('a server that answers GraphQL errors of another kind (a field it does not have): a refusal', async () => {
    const github = new GitHubStandIn();
    mountStandIn(github);
    const status = await atTheGate(github);
    // A GitHub-compatible server whose GraphQL schema lacks the label mutations (nock answers in its place).
    nock.cleanAll();
    nock('https://api.github.com')
      .post('/graphql')
      .reply(200, {
        data: null,
        errors: [{ message: "Field 'addLabelsToLabelable' doesn't exist on type 'Mutation'" }],
      });
    const done = await updateCommentWithLabels(
      octokit(),
      rev2(status, [labelNodeId('flowgate: implement')], []),
    );
    expect(done).toMatchObject({
      edited: undefined,
      refused: true,
      why: expect.stringContaining("doesn't exist"),
    });
  });

  it('throws before sending a body GitHub would refuse (over 65,536 characters)', async () => {
    const github = new GitHubStandIn();
    mountStandIn(github);
    const status = await atTheGate(github);
    const from = github.log.length;
    await expect(
      updateCommentWithLabels(
        octokit(),
        rev2(status, [], [labelNodeId('flowgate: plan')], 'x'.repeat(65_537)),
      ),
    ).rejects.toThrow(/65,?536/);
    expect(github.log.slice(from)).toEqual([]);
  });

  it('on GitHub Enterprise Server, asks /api/graphql (beside the REST API at /api/v3, not under it)', async () => {
    nock.enableNetConnect('127.0.0.1');
    const github = new GitHubStandIn();
    const paths: string[] = [];
    const served = await serveStandIn(github, (method, path) => paths.push(`${method} ${path}`), '/api/v3');
    try {
      const client = createOctokit({ token: 'ghs_test', resilient: false, baseUrl: `${served.url}/api/v3` });
      const status = await atTheGate(github, client);
      paths.length = 0;
      await updateCommentWithLabels(client, rev2(status, [], [labelNodeId('flowgate: awaiting approval')]));
      expect(paths).toEqual(['POST /graphql']);
      expect(github.issues.get(7)?.labels).toEqual(['flowgate: plan']);
    } finally {
      await served.close();
    }
  });
});
