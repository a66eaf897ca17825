import { describe, expect, it } from 'vitest';
import { AppHarness, readExample } from '../support/app-harness.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');
const PEOPLE = { alice: 'read', bob: 'maintain', carol: 'write', dave: 'admin' };

async function featureRun() {
  const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, PEOPLE);
  h.newIssue(7, 'alice');
  await h.deliver('issues', 'labeled', 7, (p) => {
    p.label = { name: 'flowgate:feature' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  return h;
}

describe('the app on a labelled issue', () => {
  it('starts a run: one status comment, the stage label, and the plan stage dispatched to Actions', async () => {
    const h = await featureRun();
    expect(h.github.botComments(7)).toHaveLength(1);
    const state = h.state(7);
    expect(state).toMatchObject({ workflow: 'feature', stage: 'plan', status: 'running' });
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: plan']);
    expect(h.github.dispatches).toEqual([
      {
        workflow: 'flowgate.yml',
        ref: 'main',
        inputs: {
          run_id: state.id,
          subject: '7',
          stage: 'plan',
          attempt: '1',
          nonce: 'nonce-1',
          step: 'response',
        },
      },
    ]);
  });

  it('waits for approval once the Action posts the plan, and mentions who may approve', async () => {
    const h = await featureRun();
    await h.answerLastDispatch(7);
    expect(h.state(7)).toMatchObject({
      status: 'awaiting_approval',
      wait: { for: 'approval', step: 'response' },
    });
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: plan', 'flowgate: awaiting approval']);
    expect(h.replies(7)).toEqual([
      'the output of "plan" waits for approval by anyone with maintain permission: comment /approve, /reject <reason> or /retry [feedback].',
    ]);
  });

  it('refuses /approve from the author and from a writer, explaining who may approve, and reacts to each', async () => {
    const h = await featureRun();
    await h.answerLastDispatch(7);
    const fromAuthor = await h.comment(7, 'alice', '/approve');
    const fromWriter = await h.comment(7, 'carol', '/approve');
    expect(h.state(7).status).toBe('awaiting_approval');
    const replies = h.replies(7).slice(1);
    expect(replies).toEqual([
      '@alice cannot approve: approving needs maintain permission on this repository, and @alice has read. Who may approve: anyone with maintain permission.',
      '@carol cannot approve: approving needs maintain permission on this repository, and @carol has write. Who may approve: anyone with maintain permission.',
    ]);
    const reactions = h.github.reactions.filter((r) => [fromAuthor.id, fromWriter.id].includes(r.comment));
    expect(reactions.map((r) => r.content)).toEqual(['eyes', 'eyes']);
  });

  it('moves on after /approve by a maintainer: eyes, next stage label, implement dispatched', async () => {
    const h = await featureRun();
    await h.answerLastDispatch(7);
    const approval = await h.comment(7, 'bob', '/approve looks right');
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'running' });
    // 👀 on receipt; no +1: the status comment, the label and the dispatch say it was applied.
    expect(h.github.reactions.filter((r) => r.comment === approval.id).map((r) => r.content)).toEqual([
      'eyes',
    ]);
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: implement']);
    expect(h.github.dispatches.at(-1)?.inputs).toMatchObject({
      stage: 'implement',
      step: 'response',
      attempt: '1',
    });
  });

  it('answers a redelivered webhook with nothing new', async () => {
    const h = await featureRun();
    await h.answerLastDispatch(7);
    const approval = await h.comment(7, 'bob', '/approve');
    const before = {
      comments: h.github.comments.length,
      dispatches: h.github.dispatches.length,
      rev: h.state(7).rev,
    };
    await h.deliver('issue_comment', 'created', 7, (p) => {
      p.comment.id = approval.id;
      p.comment.body = '/approve';
      p.comment.user.login = 'bob';
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    expect({
      comments: h.github.comments.length,
      dispatches: h.github.dispatches.length,
      rev: h.state(7).rev,
    }).toEqual(before);
  });

  it('recovers a dropped webhook: the next event applies the missed comment first', async () => {
    const h = await featureRun();
    await h.answerLastDispatch(7);
    h.github.addComment(7, 'bob', '/approve'); // its webhook never arrives
    await h.comment(7, 'carol', 'Looking forward to this.');
    expect(h.state(7).stage).toBe('implement');
  });
});
