import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { addReaction } from '../../src/github/add-reaction.ts';
import { getIssue } from '../../src/github/get-issue.ts';
import { isContentCreating, paceWrites } from '../../src/github/pace-writes.ts';
import { pinIssue } from '../../src/github/pin-issue.ts';
import { updateIssueBody } from '../../src/github/update-issue-body.ts';
import { API, ISSUE, octokit, REPO, user } from './github-fixtures.ts';

function issueAnswer() {
  return {
    id: 1,
    number: ISSUE.number,
    node_id: 'I_7',
    html_url: 'https://github.com/acme/widgets/issues/7',
    title: 'Dashboard',
    body: 'text',
    user: user('octocat'),
    labels: [],
    state: 'open',
    created_at: '2025-03-01T10:00:00Z',
    updated_at: '2025-03-01T10:00:00Z',
  };
}

describe('paceWrites', () => {
  it('waits for the pacer before each write, before the request goes out, and never before a read', async () => {
    const client = octokit();
    const order: string[] = [];
    const scope = nock(API)
      .get('/repos/acme/widgets/issues/7')
      .reply(200, () => {
        order.push('GET issue');
        return issueAnswer();
      })
      .patch('/repos/acme/widgets/issues/7')
      .reply(200, () => {
        order.push('PATCH issue');
        return issueAnswer();
      })
      .post('/repos/acme/widgets/issues/comments/5/reactions')
      .reply(201, () => {
        order.push('POST reaction');
        return { id: 1, content: 'eyes', user: user('flowgate[bot]', 'Bot') };
      })
      .post('/graphql', (body: { query: string }) => {
        order.push(`POST graphql ${body.query.split(/[ (]/)[0]}`);
        return true;
      })
      .twice()
      .reply(200, { data: {} });
    const stop = paceWrites(client, async () => {
      order.push('wait');
    });
    await getIssue(client, ISSUE);
    await updateIssueBody(client, ISSUE, 'new text');
    await addReaction(client, REPO, 5, 'eyes');
    await client.request('POST /graphql', { query: 'query { viewer { login } }' });
    await pinIssue(client, 'I_7');
    expect(order).toEqual([
      'GET issue',
      'wait',
      'PATCH issue',
      'wait',
      'POST reaction',
      'POST graphql query',
      'wait',
      'POST graphql mutation',
    ]);
    expect(scope.isDone()).toBe(true);

    stop();
    nock(API).patch('/repos/acme/widgets/issues/7').reply(200, issueAnswer());
    await updateIssueBody(client, ISSUE, 'again');
    expect(order.at(-1)).toBe('POST graphql mutation');
  });

  it('lets a write fail as it would have, once the wait is over', async () => {
    const client = octokit();
    let waits = 0;
    paceWrites(client, async () => {
      waits++;
    });
    nock(API)
      .patch('/repos/acme/widgets/issues/7')
      .reply(403, { message: 'Resource not accessible by integration' });
    await expect(updateIssueBody(client, ISSUE, 'x')).rejects.toMatchObject({ status: 403 });
    expect(waits).toBe(1);
  });
});

describe('isContentCreating', () => {
  it.each([
    [{ method: 'GET', url: '/repos/{owner}/{repo}/issues' }, false],
    [{ method: 'HEAD', url: '/' }, false],
    [{ method: 'POST', url: '/repos/{owner}/{repo}/issues/{issue_number}/comments' }, true],
    [{ method: 'PATCH', url: '/repos/{owner}/{repo}/issues/{issue_number}' }, true],
    [{ method: 'PUT', url: '/repos/{owner}/{repo}/issues/{issue_number}/lock' }, true],
    [{ method: 'DELETE', url: '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}' }, true],
    [{ method: 'POST', url: '/graphql', query: 'query { viewer { login } }' }, false],
    [
      {
        method: 'POST',
        url: '/graphql',
        query: '  mutation($id: ID!) { pinIssue(input: {}) { issue { number } } }',
      },
      true,
    ],
    [{ method: 'POST', url: 'https://ghe.example.com/api/graphql', query: 'mutation { x }' }, true],
  ])('%j: %s', (options, expected) => {
    expect(isContentCreating(options)).toBe(expected);
  });
});
