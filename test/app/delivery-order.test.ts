import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { RunState } from '../../src/core/state/run-state.ts';
import { AppHarness, readExample } from '../support/app-harness.ts';

const MANUAL = readExample('fully-manual.yml').replace(
  'approvers: [acme/maintainers]',
  'approvers: { permission: maintain }',
);

/** What a run's outcome is, without the bookkeeping that depends on how many deliveries there were. */
function outcome(state: RunState) {
  const plan = state.stages.plan;
  return {
    stage: state.stage,
    status: state.status,
    wait: state.wait?.for,
    attempt: plan?.attempt,
    output: plan?.output?.pointer.comment_id,
    feedback: plan?.feedback,
  };
}

async function started() {
  const h = new AppHarness({ '.github/flowgate/manual.yml': MANUAL }, { alice: 'write', bob: 'maintain' });
  h.newIssue(5, 'carol');
  await h.deliver('issues', 'labeled', 5, (p) => {
    p.label = { name: 'flowgate:manual' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  return h;
}

/** "Plan v2" handed in, "Plan v3" while the gate is open (refused), "/retry", "/status": the issue's minimal case. */
const COMMENTS: [string, string][] = [
  ['alice', '/submit Plan v2'],
  ['alice', '/submit Plan v3'],
  ['bob', '/retry Add more detail'],
  ['bob', '/status'],
];

describe('the same comments, whatever the delivery order', () => {
  it('end the same when each is delivered at once as when all arrive before the first delivery is handled', async () => {
    const oneByOne = await started();
    for (const [login, body] of COMMENTS) await oneByOne.comment(5, login, body);
    const inOrder = outcome(oneByOne.state(5));
    nock.cleanAll(); // the next harness mounts its own GitHub

    const late = await started();
    const made = COMMENTS.map(([login, body]) => {
      late.tick();
      return late.github.addComment(5, login, body);
    });
    // The first webhook is handled only once every comment exists; the others are dropped but one, redelivered.
    await late.deliver('issue_comment', 'created', 5, (p) => {
      p.comment.id = made[0]?.id;
      p.comment.body = made[0]?.body;
      p.comment.user.login = 'alice';
      p.sender.login = 'alice';
    });
    await late.deliver('issue_comment', 'created', 5, (p) => {
      p.comment.id = made[3]?.id;
      p.comment.body = made[3]?.body;
      p.comment.user.login = 'bob';
      p.sender.login = 'bob';
    });

    expect(outcome(late.state(5))).toEqual(inOrder);
    // Plan v3 came before the /retry: it is not attempt 2's content (it was refused); the run waits for new content.
    // The wait for new content is bound to the /retry: comments before it never count, however late they are read.
    expect(late.state(5).wait).toMatchObject({ for: 'content', after: made[2]?.id });
    expect(inOrder).toMatchObject({
      status: 'awaiting_approval',
      wait: 'content',
      attempt: 2,
    });
  });

  it('take the content posted after the /retry as the next attempt, in either order', async () => {
    const h = await started();
    for (const [login, body] of COMMENTS) await h.comment(5, login, body);
    const v4 = await h.comment(5, 'alice', '/submit Plan v4, with more detail');
    expect(h.state(5).stages.plan?.output?.pointer.comment_id).toBe(v4.id);
    expect(h.state(5).wait?.for).toBe('approval');
  });
});
