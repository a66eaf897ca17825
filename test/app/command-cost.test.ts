import { describe, expect, it } from 'vitest';
import { AppHarness, type Payload, readExample } from '../support/app-harness.ts';

// The example's gates are stated explicitly by the example itself (plan waits for a maintainer's /approve).
const FEATURE = readExample('plan-implement-review-revise.yml');
const byBob = (p: Payload) => {
  p.label = { name: 'flowgate:feature' };
  p.sender.login = 'bob';
  p.sender.type = 'User';
};

async function atTheGate(number = 7) {
  const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, { alice: 'read', bob: 'maintain' });
  h.newIssue(number, 'alice');
  await h.deliver('issues', 'labeled', number, byBob);
  await h.answerLastDispatch(number);
  expect(h.state(number)).toMatchObject({ stage: 'plan', status: 'awaiting_approval' });
  expect(h.github.issues.get(number)?.labels).toEqual(['flowgate: plan', 'flowgate: awaiting approval']);
  return h;
}

/** The requests since `from`, without the installation token's, with the repository's prefix cut. */
const requests = (h: AppHarness, from: number) =>
  h.github.log
    .slice(from)
    .filter((l) => !l.includes('/access_tokens'))
    .map((l) => l.replace('/repos/acme/widgets', ''));

describe('what a stage-moving /approve costs', () => {
  it('moves the labels in one request, reads permission and labels conditionally, and posts no +1', async () => {
    const h = await atTheGate();
    const from = h.github.log.length;
    const approval = await h.comment(7, 'bob', '/approve');
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'running' });
    const sent = requests(h, from);
    // The labels go from plan + awaiting approval to implement in one PUT, after a re-read the last label write's
    // ETag makes conditional (304: not counted by GitHub).
    expect(sent.filter((l) => l.includes('/issues/7/labels'))).toEqual([
      'GET /issues/7/labels 304',
      'PUT /issues/7/labels',
    ]);
    expect(sent.filter((l) => l.includes('/permission'))).toEqual(['GET /collaborators/bob/permission 304']);
    // (The repository's first move to implement also creates that label: once per repository, POST /labels.)
    expect(sent.filter((l) => !l.startsWith('GET') && l !== 'POST /labels')).toEqual([
      `POST /issues/comments/${approval.id}/reactions`,
      expect.stringMatching(/^PATCH \/issues\/comments\/\d+$/),
      'PUT /issues/7/labels',
      'POST /actions/workflows/flowgate.yml/dispatches',
    ]);
    expect(h.github.reactions.filter((r) => r.comment === approval.id).map((r) => r.content)).toEqual([
      'eyes',
    ]);
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: implement']);
  });

  it('keeps a label a person added after the comment (the payload does not have it): the labels are re-read first', async () => {
    const h = await atTheGate();
    const approval = h.github.addComment(7, 'bob', '/approve');
    // Someone labels the issue while the comment's delivery is on its way: its payload still shows the old labels.
    h.github.issues.get(7)?.labels.push('urgent');
    const from = h.github.log.length;
    await h.deliver('issue_comment', 'created', 7, (p) => {
      p.comment.id = approval.id;
      p.comment.body = '/approve';
      p.comment.user.login = 'bob';
      p.comment.user.type = 'User';
      p.sender.login = 'bob';
      p.sender.type = 'User';
      p.issue.labels = [{ name: 'flowgate: plan' }, { name: 'flowgate: awaiting approval' }];
    });
    expect(h.state(7)).toMatchObject({ stage: 'implement' });
    // The ETag the app kept no longer matches: a full (counted) read, then the PUT with what it found.
    expect(requests(h, from).filter((l) => l.includes('/issues/7/labels'))).toEqual([
      'GET /issues/7/labels',
      'PUT /issues/7/labels',
    ]);
    expect(h.github.issues.get(7)?.labels).toEqual(['urgent', 'flowgate: implement']);
  });

  it('refuses at once someone whose permission was lowered since their last command (no cached role)', async () => {
    const h = await atTheGate();
    await h.comment(7, 'bob', '/status');
    h.github.permissions.set('bob', 'read');
    const from = h.github.log.length;
    await h.comment(7, 'bob', '/approve');
    expect(requests(h, from).filter((l) => l.includes('/permission'))).toEqual([
      'GET /collaborators/bob/permission',
    ]);
    expect(h.state(7)).toMatchObject({ stage: 'plan', status: 'awaiting_approval' });
    expect(h.replies(7).at(-1)).toMatch(/^@bob cannot approve: approving needs maintain permission/);
  });
});
