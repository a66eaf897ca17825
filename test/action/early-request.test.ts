import { afterEach, describe, expect, it } from 'vitest';
import { requestEarly } from '../../src/action/request-early.ts';
import { createOctokit } from '../../src/github/create-octokit.ts';
import { listIssueComments, listIssueCommentsSince } from '../../src/github/list-issue-comments.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { runBundledAction } from '../support/run-bundled-action.ts';
import { serveStandIn } from '../support/serve-stand-in.ts';
import { STATE_PRIVATE_KEY, STATE_PUBLIC_KEY } from '../support/state-keys.ts';
import { TOKEN } from './action-harness.ts';

const WORKFLOW = `version: 1
name: feature
on: { labels: [flowgate:feature] }
defaults: { gate: manual }
stages:
  - id: plan
    type: manual
  - id: done
`;

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

/** GitHub over HTTP with issue #7 and one comment on it, and every request it receives, in order. */
async function served() {
  const github = new GitHubStandIn('acme', 'widgets', () => new Date().toISOString());
  github.tokenLogins.set(TOKEN, 'github-actions[bot]');
  github.permissions.set('carol', 'write');
  github.files.set('.github/flowgate/feature.yml', WORKFLOW);
  github.issues.set(7, {
    title: 'Fix the login page',
    author: 'alice',
    labels: [],
    state: 'open',
    pull: false,
  });
  const comment = github.addComment(7, 'carol', 'Looks fine to me.');
  const requests: string[] = [];
  const server = await serveStandIn(github, (method, path) => requests.push(`${method} ${path}`));
  closing.push(server.close);
  return { github, url: server.url, comment, requests };
}

const LISTING = 'GET /repos/acme/widgets/issues/7/comments';

describe('a request sent before the code that needs it has loaded', () => {
  it('answers the first identical request, and only that one', async () => {
    const { url, requests } = await served();
    const octokit = createOctokit({ token: TOKEN, baseUrl: url, resilient: false });
    const early = requestEarly(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'widgets',
      issue_number: 7,
      per_page: 100,
    });
    await early;
    expect(requests).toEqual([LISTING]);
    const issue = { owner: 'acme', repo: 'widgets', number: 7 };
    // The listing the code makes (as the reconcile does) takes the early answer: no second request.
    const listed = await listIssueComments(octokit, issue);
    expect(listed.map((c) => c.body)).toEqual(['Looks fine to me.']);
    expect(requests).toEqual([LISTING]);
    // Another query, and the same listing again, go to GitHub.
    await listIssueCommentsSince(octokit, issue, '2020-01-01T00:00:00Z');
    await listIssueComments(octokit, issue);
    expect(requests).toEqual([LISTING, LISTING, LISTING]);
  });

  it('hands its failure to the request that asks for it', async () => {
    const { url, requests } = await served();
    const octokit = createOctokit({ token: TOKEN, baseUrl: url, resilient: false });
    requestEarly(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'gone',
      issue_number: 7,
      per_page: 100,
    });
    await expect(listIssueComments(octokit, { owner: 'acme', repo: 'gone', number: 7 })).rejects.toThrow();
    expect(requests).toEqual(['GET /repos/acme/gone/issues/7/comments']);
  });
});

describe("the bundled Action's first request", () => {
  it("alone on a comment: lists the subject's comments first, and once", async () => {
    const { url, comment, requests } = await served();
    const run = await runBundledAction({
      apiUrl: url,
      event: {
        action: 'created',
        issue: {
          number: 7,
          title: 'Fix the login page',
          state: 'open',
          user: { login: 'alice' },
          labels: [],
        },
        comment: { id: comment.id, body: comment.body, user: { login: 'carol', type: 'User' } },
        sender: { login: 'carol', type: 'User' },
        repository: {
          name: 'widgets',
          full_name: 'acme/widgets',
          owner: { login: 'acme' },
          default_branch: 'main',
        },
      },
      env: { GITHUB_EVENT_NAME: 'issue_comment', FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY },
      with: { 'github-token': TOKEN },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(requests[0]).toBe(LISTING);
    expect(requests.filter((r) => r === LISTING)).toHaveLength(1);
  });

  it("for a dispatched step: lists the subject's comments first, and once", async () => {
    const { url, requests } = await served();
    const run = await runBundledAction({
      apiUrl: url,
      event: {
        inputs: { run_id: 'r-1', subject: '7', stage: 'plan', attempt: '1', nonce: 'n1', step: 'response' },
      },
      env: { FLOWGATE_STATE_PUBLIC_KEY: STATE_PUBLIC_KEY },
      with: { 'github-token': TOKEN },
    });
    // No run r-1 on #7: the step fails, and says so in a failure output.
    expect(run.outputs.outcome).toBe('failed');
    expect(run.stdout).toContain('there is no status comment of run r-1 on #7');
    expect(requests[0]).toBe(LISTING);
    expect(requests.filter((r) => r === LISTING)).toHaveLength(1);
  });
});
