import { describe, expect, it } from 'vitest';
import { appLessJobs } from './app-less-jobs.ts';
import { sentTo } from './model-fixture.ts';

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

const open = appLessJobs();

/** The label's job: the review, written by the model with `verdict`, waiting for a maintainer. */
async function reviewed(verdict: 'PASS' | 'FAIL') {
  const h = await open('review', REVIEW);
  h.models.enqueue({ text: `The page looks fine.\n\nVerdict: ${verdict}` });
  await h.label('bob', 'flowgate:review');
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
