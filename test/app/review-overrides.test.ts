import { describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';

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
    instructions: "Revise after the review. {{ feedback }}"
    gate: { approver: skip }
    next: done
  - id: publish
    provider: checker
    instructions: "Publish. {{ feedback }}"
    gate: { approver: skip }
    next: done
  - id: done
    type: terminal
`;

/** The review answered with `verdict`, waiting for a maintainer (bob); carol can write, not maintain. */
async function reviewed(verdict: 'pass' | 'fail') {
  const h = new AppHarness({ '.github/flowgate/review.yml': REVIEW }, { bob: 'maintain', carol: 'write' });
  h.newIssue(3, 'alice', 'Fix the login page');
  await h.deliver('issues', 'labeled', 3, (p) => {
    p.label = { name: 'flowgate:review' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  const output = await h.answerLastDispatch(
    3,
    { verdict },
    `The page looks fine.\n\nVerdict: ${verdict.toUpperCase()}`,
  );
  expect(h.state(3)).toMatchObject({ stage: 'review', status: 'awaiting_approval' });
  return { h, output };
}

function statusBody(h: AppHarness, number: number): string {
  return h.github.botComments(number).find((c) => c.body.includes('<!-- flowgate:status run='))?.body ?? '';
}

describe('/approve --revise <note>', () => {
  it('hands the note to the next stage as its feedback, which its dispatch then reads', async () => {
    const { h } = await reviewed('pass');
    await h.comment(3, 'bob', '/approve --revise The error message is still wrong.');
    const state = h.state(3);
    expect(state).toMatchObject({ stage: 'revise', status: 'running' });
    expect(state.stages.revise).toMatchObject({
      feedback: 'The error message is still wrong.',
      feedback_from: 'review',
    });
    expect(h.github.dispatches.at(-1)?.inputs).toMatchObject({ stage: 'revise', step: 'response' });
  });

  it('hands the note on when a later approval opens a gate that needs two', async () => {
    const two = REVIEW.replace(
      'gate: { approver: manual, approvers: { permission: maintain } }',
      'gate: { approver: manual, approvers: { permission: maintain }, min_approvals: 2 }',
    );
    const h = new AppHarness({ '.github/flowgate/review.yml': two }, { bob: 'maintain', dave: 'maintain' });
    h.newIssue(3, 'alice', 'Fix the login page');
    await h.deliver('issues', 'labeled', 3, (p) => {
      p.label = { name: 'flowgate:review' };
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    await h.answerLastDispatch(3, { verdict: 'pass' }, 'Fine.\n\nVerdict: PASS');
    await h.comment(3, 'bob', '/approve --revise The error message is still wrong.');
    expect(h.state(3)).toMatchObject({ stage: 'review', status: 'awaiting_approval' });
    await h.comment(3, 'dave', '/approve');
    expect(h.state(3)).toMatchObject({ stage: 'revise' });
    expect(h.state(3).stages.revise?.feedback).toBe('The error message is still wrong.');
  });

  it('without a note hands nothing on', async () => {
    const { h } = await reviewed('pass');
    await h.comment(3, 'bob', '/approve --revise');
    expect(h.state(3).stages.revise?.feedback).toBeUndefined();
  });
});

describe('/approve --complete <note>', () => {
  it('hands the note to the stage the PASS leads to', async () => {
    const { h } = await reviewed('fail');
    await h.comment(3, 'bob', '/approve --complete Good enough; publish it as a draft.');
    expect(h.state(3)).toMatchObject({ stage: 'publish' });
    expect(h.state(3).stages.publish).toMatchObject({
      feedback: 'Good enough; publish it as a draft.',
      feedback_from: 'review',
    });
    // The stage after that starts without it.
    await h.answerLastDispatch(3, {}, 'Published.');
    expect(h.state(3)).toMatchObject({ status: 'completed' });
  });
});

describe('a plain /approve of a review whose verdict line a maintainer edited', () => {
  it('follows the edited verdict, and the status says whose verdict counted', async () => {
    const { h, output } = await reviewed('pass');
    h.tick();
    h.github.editComment(output.id, 'bob', output.body.replace('Verdict: PASS', 'Verdict: FAIL'));
    await h.comment(3, 'bob', '/status');
    expect(h.replies(3).at(-1)).toContain(
      'waits for approval of the response at stage "review" (verdict FAIL, edited by @bob)',
    );
    expect(statusBody(h, 3)).toContain('the response says FAIL (edited by @&#8203;bob)');
    await h.comment(3, 'bob', '/approve');
    const state = h.state(3);
    expect(state).toMatchObject({ stage: 'revise' });
    expect(state.stages.review?.output).toMatchObject({ verdict: 'fail', verdict_by: 'bob' });
    expect(state.history.map((e) => [e.what, e.reason])).toContainEqual([
      'review -> revise',
      'when verdict == "fail" (verdict FAIL, edited by @bob)',
    ]);
  });

  it('keeps the posted verdict when the editor may not approve the review, and says why', async () => {
    const { h, output } = await reviewed('pass');
    h.tick();
    h.github.editComment(output.id, 'carol', output.body.replace('Verdict: PASS', 'Verdict: FAIL'));
    await h.comment(3, 'bob', '/approve');
    expect(h.replies(3)).toContain(
      'The output of "review" now reads verdict FAIL, but the edit does not count: approving needs maintain permission on this repository, and @carol has write. The verdict stays PASS; an approver can `/approve --complete` or `/approve --revise`.',
    );
    const state = h.state(3);
    expect(state).toMatchObject({ stage: 'publish' });
    expect(state.stages.review?.output?.verdict).toBe('pass');
    expect(state.stages.review?.output?.verdict_by).toBeUndefined();
  });
});

describe('a bare /retry after /reject <reason>', () => {
  it('carries the reason into the next attempt as its feedback', async () => {
    const { h } = await reviewed('pass');
    await h.comment(3, 'bob', '/reject "You did not check the mobile layout"');
    await h.comment(3, 'bob', '/retry');
    const state = h.state(3);
    expect(state.stages.review).toMatchObject({
      attempt: 2,
      feedback: 'You did not check the mobile layout',
    });
    expect(state.stages.review?.feedback_from).toBeUndefined();
    expect(state.history.at(-1)).toMatchObject({
      what: 'review: retry requested by @bob',
      reason: "with the reason of @bob's rejection",
    });
  });

  it('takes the feedback a /retry gives over the reason', async () => {
    const { h } = await reviewed('pass');
    await h.comment(3, 'bob', '/reject "Too short"');
    await h.comment(3, 'bob', '/retry Check the mobile layout too.');
    expect(h.state(3).stages.review?.feedback).toBe('Check the mobile layout too.');
  });
});
