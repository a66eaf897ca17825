import { describe, expect, it } from 'vitest';
import { AppHarness, type Payload, readExample } from '../support/app-harness.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');
const byBob = (p: Payload) => {
  p.label = { name: 'flowgate:feature' };
  p.sender.login = 'bob';
  p.sender.type = 'User';
};

async function atTheGate() {
  const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, { bob: 'maintain', carol: 'write' });
  h.newIssue(7, 'alice');
  await h.deliver('issues', 'labeled', 7, byBob);
  await h.answerLastDispatch(7);
  expect(h.state(7)).toMatchObject({ stage: 'plan', status: 'awaiting_approval' });
  return h;
}

/** Edits of comments: a PATCH, or the GraphQL mutation that edits the status comment with label changes. */
const edits = (h: AppHarness, from: number) =>
  h.github.log
    .slice(from)
    .filter(
      (l) => (l.startsWith('PATCH') && l.includes('/issues/comments/')) || l === 'POST /graphql mutation',
    );

describe('a command that changes nothing but is answered', () => {
  it('/status gets a reply and the eyes, and the status comment is not written', async () => {
    const h = await atTheGate();
    const rev = h.state(7).rev;
    const from = h.github.log.length;
    const status = await h.comment(7, 'carol', '/status');
    expect(edits(h, from)).toEqual([]);
    expect(h.replies(7).at(-1)).toMatch(/^`feature` waits for approval of the response at stage "plan"/);
    expect(h.github.reactions.filter((r) => r.comment === status.id).map((r) => r.content)).toEqual(['eyes']);
    expect(h.state(7).rev).toBe(rev);
  });

  it('a refused /approve is answered once, and never applied later, when its author may approve', async () => {
    const h = await atTheGate();
    const from = h.github.log.length;
    const refused = await h.comment(7, 'carol', '/approve');
    expect(edits(h, from)).toEqual([]);
    const replies = h.replies(7).length;
    expect(h.replies(7).at(-1)).toMatch(/^@carol cannot approve/);
    // The same webhook again, then carol is made a maintainer and someone comments: nothing more happens to it.
    await h.deliver('issue_comment', 'created', 7, (p) => {
      p.comment.id = refused.id;
      p.comment.body = '/approve';
      p.comment.user.login = 'carol';
      p.sender.login = 'carol';
      p.sender.type = 'User';
    });
    h.github.permissions.set('carol', 'maintain');
    await h.comment(7, 'bob', 'Any news?');
    expect(h.replies(7)).toHaveLength(replies);
    expect(h.state(7)).toMatchObject({ stage: 'plan', status: 'awaiting_approval' });
    expect(h.state(7).stages.plan?.approvals).toEqual([]);
    // The run's next write counts the answered comment as applied: it stays answered once.
    await h.comment(7, 'bob', '/approve');
    expect(h.state(7).stage).toBe('implement');
    expect(h.replies(7).filter((r) => r.startsWith('@carol cannot approve'))).toHaveLength(1);
  });

  it('a command that moves the run still writes the status comment', async () => {
    const h = await atTheGate();
    const from = h.github.log.length;
    await h.comment(7, 'bob', '/approve');
    expect(edits(h, from)).toHaveLength(1);
    expect(h.state(7).stage).toBe('implement');
  });
});

describe('the handled marker of a reply', () => {
  it('counts only on a reply as the bot posted it: a writer who edits one into a reply cannot make a run skip a command', async () => {
    const h = await atTheGate();
    await h.comment(7, 'carol', '/status');
    const reply = h.github.botComments(7).at(-1);
    if (reply === undefined) throw new Error('no reply');
    h.tick();
    const approval = h.github.addComment(7, 'bob', '/approve');
    reply.body += `\n<!-- flowgate:handled ${h.state(7).id} ${approval.id} -->`;
    reply.updated_at = h.now();
    await h.deliver('issue_comment', 'created', 7, (p) => {
      p.comment.id = approval.id;
      p.comment.body = '/approve';
      p.comment.user.login = 'bob';
      p.comment.user.type = 'User';
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    expect(h.state(7).stage).toBe('implement');
  });
});
