import { describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';

/** A run on a person's pull request: a manual check whose gate takes two approvals, by command or review. */
const CHECK = `version: 1
name: check
on: { labels: [flowgate:check], subject: pull_request }
stages:
  - id: check
    mode: manual
    gate: { approver: manual, min_approvals: 2, approvers: { permission: write } }
    next: done
  - id: done
`;
const HEAD1 = '1'.repeat(40);
const HEAD2 = '2'.repeat(40);

async function checkWaiting() {
  const h = new AppHarness(
    { '.github/flowgate/check.yml': CHECK },
    { bob: 'maintain', carol: 'write', dave: 'write', erin: 'write', frank: 'write' },
  );
  h.newIssue(5, 'alice', 'Faster API', true);
  const pull = h.github.pulls.get(5);
  if (pull !== undefined) pull.head = HEAD1;
  await h.deliver('pull_request', 'labeled', 5, (p) => {
    p.label = { name: 'flowgate:check' };
    p.pull_request.head.sha = HEAD1;
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  await h.comment(5, 'carol', '/submit Checked: the routes keep their old names.');
  return h;
}

async function review(h: AppHarness, login: string, commit: string) {
  const stored = h.github.addReview(5, login, 'APPROVED', '', commit);
  await h.deliver('pull_request_review', 'submitted', 5, (p) => {
    p.pull_request.head.sha = h.github.pulls.get(5)?.head;
    p.review.id = stored.id;
    p.review.state = 'approved';
    p.review.commit_id = commit;
    p.review.user.login = login;
    p.sender.login = login;
    p.sender.type = 'User';
  });
}

async function push(h: AppHarness, sha: string, by: string) {
  const pull = h.github.pulls.get(5);
  if (pull !== undefined) pull.head = sha;
  await h.deliver('pull_request', 'synchronize', 5, (p) => {
    p.pull_request.head.sha = sha;
    p.sender.login = by;
    p.sender.type = 'User';
  });
}

describe('a run on a pull request', () => {
  it('records the head it started on, and has its check run from the start', async () => {
    const h = await checkWaiting();
    expect(h.state(5).subject.head_sha).toBe(HEAD1);
    expect(h.github.checkRuns.map((c) => [c.head_sha, c.status])).toEqual([[HEAD1, 'in_progress']]);
  });

  it('voids approvals of the previous head when someone pushes, saying whose, and the pusher cannot approve', async () => {
    const h = await checkWaiting();
    await review(h, 'dave', HEAD1);
    expect(h.state(5).stages.check?.approvals.map((a) => a.by)).toEqual(['dave']);
    await push(h, HEAD2, 'erin');
    expect(h.state(5).stages.check?.approvals).toEqual([]);
    expect(h.state(5).history.at(-1)).toMatchObject({
      what: 'new commits by @erin',
      reason: 'the approvals of @dave were of the previous head and no longer count',
    });
    await h.comment(5, 'erin', '/approve');
    expect(h.state(5).stages.check?.approvals).toEqual([]);
    await review(h, 'frank', HEAD2);
    expect(h.state(5)).toMatchObject({ stage: 'check', status: 'awaiting_approval' });
    await h.comment(5, 'bob', '/approve');
    expect(h.state(5)).toMatchObject({ status: 'completed' });
    const runChecks = h.github.checkRuns.filter((c) => c.name === 'flowgate: check');
    expect(runChecks.map((c) => [c.head_sha.slice(0, 1), c.status, c.conclusion])).toEqual([
      ['1', 'completed', 'neutral'],
      ['2', 'completed', 'success'],
    ]);
  });

  it('does not count a review of a commit the pull request has moved past', async () => {
    const h = await checkWaiting();
    await push(h, HEAD2, 'erin');
    await review(h, 'dave', HEAD1);
    expect(h.state(5).stages.check?.approvals).toEqual([]);
    expect(h.replies(5).at(-1)).toMatch(
      /^The review by @dave approved commit 1111111, but the pull request is now at 2222222/,
    );
  });

  it('keeps the approvals across a push with the same files (a rebase)', async () => {
    const h = await checkWaiting();
    h.github.commitTrees.set(HEAD1, 'a'.repeat(40));
    h.github.commitTrees.set(HEAD2, 'a'.repeat(40));
    await review(h, 'dave', HEAD1);
    await push(h, HEAD2, 'erin');
    expect(h.state(5).stages.check?.approvals.map((a) => a.by)).toEqual(['dave']);
    expect(h.state(5).history.at(-1)).toMatchObject({
      what: 'new commits by @erin with the same files as 1111111',
      reason: 'the approvals still count',
    });
    expect(h.github.log.filter((l) => l.includes('/git/commits/'))).toHaveLength(2);
    await review(h, 'frank', HEAD2);
    expect(h.state(5)).toMatchObject({ status: 'completed' });
  });

  it("drops the pusher's own approval across a push with the same files: the last pusher is treated like the author", async () => {
    const h = await checkWaiting();
    h.github.commitTrees.set(HEAD1, 'a'.repeat(40));
    h.github.commitTrees.set(HEAD2, 'a'.repeat(40));
    await review(h, 'dave', HEAD1);
    await push(h, HEAD2, 'dave');
    expect(h.state(5).stages.check?.approvals).toEqual([]);
    expect(h.state(5).history.at(-1)).toMatchObject({
      reason:
        "the other approvals still count; @dave's own no longer does (the last pusher is treated like the author)",
    });
  });

  it('voids the approvals when the pushed files differ', async () => {
    const h = await checkWaiting();
    h.github.commitTrees.set(HEAD1, 'a'.repeat(40));
    h.github.commitTrees.set(HEAD2, 'b'.repeat(40));
    await review(h, 'dave', HEAD1);
    await push(h, HEAD2, 'erin');
    expect(h.state(5).stages.check?.approvals).toEqual([]);
  });

  it('voids the approvals when the old commit cannot be read (force-pushed away): nothing proves the files equal', async () => {
    const h = await checkWaiting();
    h.github.commitTrees.set(HEAD2, 'a'.repeat(40));
    await review(h, 'dave', HEAD1);
    await push(h, HEAD2, 'erin');
    expect(h.state(5).stages.check?.approvals).toEqual([]);
  });

  it('asks for no tree when no approval is at stake', async () => {
    const h = await checkWaiting();
    await push(h, HEAD2, 'erin');
    expect(h.github.log.filter((l) => l.includes('/git/commits/'))).toEqual([]);
  });
});
