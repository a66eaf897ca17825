import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import { example } from '../support/app-harness.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { ModelServer } from '../support/model-server.ts';
import { type BundledRun, runBundledAction } from '../support/run-bundled-action.ts';
import { serveStandIn } from '../support/serve-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY, STATE_PUBLIC_KEY } from '../support/state-keys.ts';
import { TOKEN } from './action-harness.ts';
import { modelEnv, sentTo } from './model-fixture.ts';

/** A review whose verdict decides: PASS publishes, FAIL revises; maintainers decide the review's gate. */
const REVIEW = `version: 1
name: review
on: { labels: [flowgate:review] }
providers:
  checker: anthropic/claude-sonnet-4-5
stages:
  - id: review
    provider: checker
    instructions: "Review #{{ subject.number }}."
    verdict: true
    gate: { approver: manual, approvers: { permission: maintain } }
    transitions:
      - { to: publish, when: 'verdict == "pass"' }
      - { to: revise, when: 'verdict == "fail"' }
  - id: revise
    provider: checker
    instructions: "Revise after the review."
    gate: { approver: manual, approvers: { permission: maintain } }
    next: done
  - id: publish
    provider: checker
    instructions: "Publish it."
    gate: { approver: manual, approvers: { permission: maintain } }
    next: done
  - id: done
    type: terminal
`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** GitHub (a stand-in over HTTP), a model server and no app: every event is one job of the bundled Action. */
async function appLess() {
  const models = await ModelServer.start();
  cleanups.push(() => models.close());
  const github = new GitHubStandIn('acme', 'widgets', () => new Date().toISOString());
  github.tokenLogins.set(TOKEN, 'github-actions[bot]');
  github.files.set('.github/flowgate/review.yml', REVIEW);
  github.permissions.set('bob', 'maintain');
  github.permissions.set('carol', 'write');
  github.issues.set(7, {
    title: 'Fix the login page',
    author: 'alice',
    labels: [],
    state: 'open',
    pull: false,
  });
  const served = await serveStandIn(github);
  cleanups.push(served.close);
  let runId = 100;
  const job = (name: string, edit: (p: Record<string, never>) => void): Promise<BundledRun> => {
    const payload = example(name, name === 'issues' ? 'labeled' : 'created');
    payload.repository.name = 'widgets';
    payload.repository.owner.login = 'acme';
    payload.repository.full_name = 'acme/widgets';
    payload.repository.default_branch = 'main';
    const issue = github.issues.get(7);
    payload.issue.number = 7;
    payload.issue.title = issue?.title;
    payload.issue.user.login = 'alice';
    payload.issue.labels = (issue?.labels ?? []).map((name) => ({ name }));
    edit(payload as never);
    return runBundledAction({
      apiUrl: served.url,
      event: payload,
      env: {
        ...modelEnv(models),
        FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY,
        GITHUB_EVENT_NAME: name,
        GITHUB_RUN_ID: String(++runId),
        GITHUB_RUN_ATTEMPT: '1',
      },
      with: { 'github-token': TOKEN },
    });
  };
  const comment = async (login: string, body: string) => {
    // Distinct timestamps: GitHub's order of an edit and a later comment is then the order they were made in.
    await sleep(20);
    const c = github.addComment(7, login, body);
    const run = await job('issue_comment', (p: Record<string, never>) => {
      const q = p as Record<string, Record<string, unknown>>;
      Object.assign(q.comment ?? {}, { id: c.id, body, user: { login, type: 'User' } });
      q.sender = { login, type: 'User' };
    });
    expect(run.code, run.stdout).toBe(0);
    return run;
  };
  const state = (): RunState => {
    const status = github.comments.find((c) => c.issue === 7 && c.body.includes('<!-- flowgate:status run='));
    if (status === undefined) throw new Error('no status comment on #7');
    const decoded = decodeStateBlock(status.body, STATE_PUBLIC_KEY, { id: REPO_ID, number: 7 });
    if (!decoded.ok) throw new Error(decoded.message);
    return decoded.state;
  };
  return { github, models, job, comment, state };
}

/** The label's job: the review, written by the model with `verdict`, waiting for a maintainer. */
async function reviewed(verdict: 'PASS' | 'FAIL') {
  const h = await appLess();
  h.models.enqueue({ text: `The page looks fine.\n\nVerdict: ${verdict}` });
  h.github.issues.get(7)?.labels.push('flowgate:review');
  const run = await h.job('issues', (p: Record<string, never>) => {
    const q = p as Record<string, unknown>;
    q.label = { name: 'flowgate:review' };
    q.sender = { login: 'bob', type: 'User' };
  });
  expect(run.code, run.stdout).toBe(0);
  expect(h.state()).toMatchObject({ stage: 'review', status: 'awaiting_approval' });
  const output = h.github.comments.find((c) => c.body.includes('flowgate:output'));
  if (output === undefined) throw new Error('no output comment');
  return { ...h, output };
}

describe('the Action alone, /approve --revise <note>', () => {
  it("runs the next stage with the note in its prompt, fenced as the reviewer's feedback", async () => {
    const h = await reviewed('PASS');
    h.models.enqueue({ text: 'Revised.' });
    await h.comment('bob', '/approve --revise The error message <!-- hidden --> is still wrong.');
    expect(h.state()).toMatchObject({ stage: 'revise', status: 'awaiting_approval' });
    expect(h.models.requests).toHaveLength(2);
    const prompt = sentTo(h.models, 1).prompt;
    expect(prompt).toContain('Revise after the review.');
    expect(prompt).toContain(
      'The person who approved the output of stage "review" overrode its verdict and left this note for this stage:\n\n```data: feedback\nThe error message  is still wrong.\n```',
    );
    expect(prompt).not.toContain('hidden');
    expect(prompt).not.toContain('was rejected');
  });
});

describe('the Action alone, /approve --complete <note>', () => {
  it('runs the stage the PASS leads to with the note in its prompt', async () => {
    const h = await reviewed('FAIL');
    h.models.enqueue({ text: 'Published.' });
    await h.comment('bob', '/approve --complete Publish it as a draft.');
    expect(h.state()).toMatchObject({ stage: 'publish' });
    expect(sentTo(h.models, 1).prompt).toContain('```data: feedback\nPublish it as a draft.\n```');
  });
});

describe('the Action alone, a plain /approve of a review whose verdict line a maintainer edited', () => {
  it('follows the edited verdict and says whose it is', async () => {
    const h = await reviewed('PASS');
    h.github.editComment(h.output.id, 'bob', h.output.body.replace('Verdict: PASS', 'Verdict: FAIL'));
    h.models.enqueue({ text: 'Revised.' });
    await h.comment('bob', '/approve');
    const state = h.state();
    expect(state).toMatchObject({ stage: 'revise' });
    expect(state.stages.review?.output).toMatchObject({ verdict: 'fail', verdict_by: 'bob' });
    expect(state.history.map((e) => [e.what, e.reason])).toContainEqual([
      'review -> revise',
      'when verdict == "fail" (verdict FAIL, edited by @bob)',
    ]);
  });

  it("does not count a writer's edit on a gate that needs maintain", async () => {
    const h = await reviewed('PASS');
    h.github.editComment(h.output.id, 'carol', h.output.body.replace('Verdict: PASS', 'Verdict: FAIL'));
    h.models.enqueue({ text: 'Published.' });
    await h.comment('bob', '/approve');
    expect(h.state()).toMatchObject({ stage: 'publish' });
    expect(h.state().stages.review?.output?.verdict_by).toBeUndefined();
  });
});

describe('the Action alone, a bare /retry after /reject <reason>', () => {
  it('writes the next attempt with the reason as the feedback of the retry prompt', async () => {
    const h = await reviewed('PASS');
    await h.comment('bob', '/reject "You did not check the mobile layout"');
    h.models.enqueue({ text: 'Checked the mobile layout too.\n\nVerdict: PASS' });
    await h.comment('bob', '/retry');
    expect(h.state()).toMatchObject({ stage: 'review', stages: { review: { attempt: 2 } } });
    const prompt = sentTo(h.models, 1).prompt;
    expect(prompt).toContain('An earlier answer to the request above was rejected.');
    expect(prompt).toContain('```data: feedback\nYou did not check the mobile layout\n```');
  });
});
