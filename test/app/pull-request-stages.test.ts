import { describe, expect, it } from 'vitest';
import { AppHarness, readExample } from '../support/app-harness.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');
const HEAD1 = '1'.repeat(40);
const HEAD2 = '2'.repeat(40);
const HEAD3 = '3'.repeat(40);

/** A feature run on issue 7 whose implement stage opened pull request 8 (its body links back to the issue). */
async function implemented(workflow = FEATURE) {
  const h = new AppHarness(
    { '.github/flowgate/feature.yml': workflow },
    { bob: 'maintain', carol: 'write', dave: 'write', erin: 'write' },
  );
  h.newIssue(7, 'alice');
  await h.deliver('issues', 'labeled', 7, (p) => {
    p.label = { name: 'flowgate:feature' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  await h.answerLastDispatch(7);
  await h.comment(7, 'bob', '/approve');
  h.github.issues.set(8, {
    title: 'Dark mode',
    author: 'flowgate-agent',
    labels: [],
    state: 'open',
    pull: true,
  });
  h.github.pulls.set(8, { head: HEAD1, base: 'main', author: 'flowgate-agent' });
  await h.answerLastDispatch(7, { pull_number: 8, head_sha: HEAD1 }, 'Opened #8.');
  return h;
}

async function reviewOnPull(
  h: AppHarness,
  login: string,
  state: 'APPROVED' | 'CHANGES_REQUESTED',
  body = '',
) {
  const review = h.github.addReview(8, login, state, body);
  await h.deliver('pull_request_review', 'submitted', 8, (p) => {
    p.pull_request.number = 8;
    p.pull_request.body = 'Implements #7.\n\n<!-- flowgate:pr issue=7 -->';
    p.pull_request.head.sha = h.github.pulls.get(8)?.head;
    p.review.id = review.id;
    p.review.state = state.toLowerCase();
    p.review.user.login = login;
    p.sender.login = login;
    p.sender.type = 'User';
  });
}

async function pushTo(h: AppHarness, sha: string, by: string) {
  const pull = h.github.pulls.get(8);
  if (pull !== undefined) pull.head = sha;
  await h.deliver('pull_request', 'synchronize', 8, (p) => {
    p.pull_request.number = 8;
    p.pull_request.body = '<!-- flowgate:pr issue=7 -->';
    p.pull_request.head.sha = sha;
    p.sender.login = by;
    p.sender.type = 'User';
  });
}

describe('a stage that opens a pull request, behind a review gate', () => {
  it('waits for a review approval of the pull request, not a command', async () => {
    const h = await implemented();
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'awaiting_approval' });
    await h.comment(7, 'bob', '/approve');
    expect(h.replies(7).at(-1)).toBe(
      'This gate opens with a pull request review approval by anyone with write permission, not with a command.',
    );
    expect(h.state(7).stage).toBe('implement');
  });

  it('moves on when a writer approves the pull request in a review, and shows a check run on its head', async () => {
    const h = await implemented();
    await reviewOnPull(h, 'carol', 'APPROVED');
    expect(h.state(7)).toMatchObject({ stage: 'review', status: 'running' });
    expect(h.github.checkRuns).toMatchObject([
      {
        name: 'flowgate: feature',
        head_sha: HEAD1,
        status: 'in_progress',
        external_id: `flowgate:${h.state(7).id}`,
      },
    ]);
  });

  it('does not count a review of an older head after a push', async () => {
    const h = await implemented();
    await pushTo(h, HEAD2, 'dave');
    const old = h.github.addReview(8, 'carol', 'APPROVED', '', HEAD1);
    await reviewOnPull(h, 'bob', 'CHANGES_REQUESTED', 'Not yet');
    expect(old.commit_id).toBe(HEAD1);
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'paused' });
    expect(h.state(7).resume?.reason).toBe('the response of "implement" was rejected by @bob: Not yet');
  });

  it('runs review -> revise -> review on a FAIL verdict and completes on PASS, the check run following', async () => {
    const h = await implemented();
    await reviewOnPull(h, 'carol', 'APPROVED');
    await h.answerLastDispatch(7, { verdict: 'fail' }, 'Missing tests.\n\nVerdict: FAIL');
    expect(h.state(7).stage).toBe('revise');
    h.github.pulls.set(8, { head: HEAD3, base: 'main', author: 'flowgate-agent' });
    await h.answerLastDispatch(7, { pull_number: 8, head_sha: HEAD3 }, 'Added tests to #8.');
    expect(h.state(7)).toMatchObject({ stage: 'review', status: 'running' });
    await h.answerLastDispatch(7, { verdict: 'pass' }, 'Good now.\n\nVerdict: PASS');
    expect(h.state(7)).toMatchObject({ stage: 'done', status: 'completed' });
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: done']);
    const checks = h.github.checkRuns.filter((c) => c.head_sha === HEAD3);
    expect(checks).toMatchObject([{ status: 'completed', conclusion: 'success' }]);
  });

  it('keeps the run when the pull request is merged, and cancels it when the issue is closed', async () => {
    const h = await implemented();
    await h.deliver('pull_request', 'closed', 8, (p) => {
      p.pull_request.number = 8;
      p.pull_request.body = '<!-- flowgate:pr issue=7 -->';
      p.pull_request.merged = true;
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    expect(h.state(7).status).toBe('awaiting_approval');
    const issue = h.github.issues.get(7);
    if (issue !== undefined) issue.state = 'closed';
    await h.deliver('issues', 'closed', 7, (p) => {
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    expect(h.state(7).status).toBe('cancelled');
  });
});

/** A maintainer dismisses a review on GitHub: the review's state becomes DISMISSED, and its webhook is delivered. */
async function dismiss(h: AppHarness, login: string) {
  const review = h.github.reviews.find((r) => r.pull === 8 && r.login === login);
  if (review === undefined) throw new Error(`no review by ${login}`);
  review.state = 'DISMISSED';
  await h.deliver('pull_request_review', 'dismissed', 8, (p) => {
    p.pull_request.number = 8;
    p.pull_request.body = '<!-- flowgate:pr issue=7 -->';
    p.pull_request.head.sha = h.github.pulls.get(8)?.head;
    p.review.id = review.id;
    p.review.state = 'dismissed';
    p.review.user.login = login;
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
}

describe('a dismissed review', () => {
  const TWO = FEATURE.replace(
    '    output: pull_request\n    gate: review\n',
    '    output: pull_request\n    gate: { approver: review, min_approvals: 2 }\n',
  );

  const implementedNeedingTwo = () => implemented(TWO);

  it('no longer counts: after it, one more approval does not pass a gate that needs two', async () => {
    const h = await implementedNeedingTwo();
    expect(TWO).toContain('min_approvals: 2');
    await reviewOnPull(h, 'carol', 'APPROVED');
    expect(h.state(7).stages.implement?.approvals.map((a) => a.by)).toEqual(['carol']);
    await dismiss(h, 'carol');
    expect(h.state(7).stages.implement?.approvals).toEqual([]);
    expect(h.state(7).history.at(-1)).toMatchObject({
      what: 'implement: the approval of @carol no longer counts',
      reason: 'the review was dismissed',
    });
    await reviewOnPull(h, 'dave', 'APPROVED');
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'awaiting_approval' });
    await reviewOnPull(h, 'erin', 'APPROVED');
    expect(h.state(7)).toMatchObject({ stage: 'review' });
  });

  it('dismissed with the approval that follows it in one delivery, counts neither way twice', async () => {
    const h = await implementedNeedingTwo();
    await reviewOnPull(h, 'carol', 'APPROVED');
    // Carol's review is dismissed and Dave approves before flowgate hears of either.
    const carol = h.github.reviews.find((r) => r.login === 'carol');
    if (carol !== undefined) carol.state = 'DISMISSED';
    await reviewOnPull(h, 'dave', 'APPROVED');
    expect(h.state(7).stages.implement?.approvals.map((a) => a.by)).toEqual(['dave']);
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'awaiting_approval' });
  });
});
