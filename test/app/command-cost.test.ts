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
  it('edits the status comment and moves the labels in one GraphQL request, reads permission conditionally, and posts no +1', async () => {
    const h = await atTheGate();
    const from = h.github.log.length;
    const approval = await h.comment(7, 'bob', '/approve');
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'running' });
    const sent = requests(h, from);
    // The labels go from plan + awaiting approval to implement in the request that edits the status comment: no
    // REST label request, no re-read of the labels (GraphQL adds and removes, it does not set the whole list).
    expect(sent.filter((l) => l.includes('/labels') && l !== 'POST /labels')).toEqual([]);
    expect(sent.filter((l) => l.includes('/permission'))).toEqual(['GET /collaborators/bob/permission 304']);
    // (The repository's first move to implement also creates that label: once per repository, POST /labels.)
    expect(sent.filter((l) => !l.startsWith('GET'))).toEqual([
      `POST /issues/comments/${approval.id}/reactions`,
      'POST /labels',
      'POST /graphql mutation',
      'POST /actions/workflows/flowgate.yml/dispatches',
    ]);
    expect(h.github.reactions.filter((r) => r.comment === approval.id).map((r) => r.content)).toEqual([
      'eyes',
    ]);
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: implement']);
    // The edit is the app's: its next read trusts it (no question about who edited it) and the run goes on.
    const status = h.github.botComments(7).find((c) => c.body.includes('flowgate:state'));
    expect(status?.editor).toBe('flowgate[bot]');

    // The next stage move in this repository: 3 writes, the labels' ids known from the first.
    h.newIssue(8, 'alice');
    await h.deliver('issues', 'labeled', 8, byBob);
    await h.answerLastDispatch(8);
    const next = h.github.log.length;
    const second = await h.comment(8, 'bob', '/approve');
    expect(h.state(8)).toMatchObject({ stage: 'implement', status: 'running' });
    expect(requests(h, next).filter((l) => !l.startsWith('GET'))).toEqual([
      `POST /issues/comments/${second.id}/reactions`,
      'POST /graphql mutation',
      'POST /actions/workflows/flowgate.yml/dispatches',
    ]);
    expect(h.github.issues.get(8)?.labels).toEqual(['flowgate: implement']);
  });

  it('keeps a label a person added after the comment (the payload does not have it): labels are added and removed, not set', async () => {
    const h = await atTheGate();
    // Someone labels the issue while the comment's delivery is on its way: its payload still shows the old labels.
    h.github.issues.get(7)?.labels.push('urgent');
    const from = h.github.log.length;
    await h.comment(7, 'bob', '/approve', (p) => {
      p.issue.labels = p.issue.labels.filter((l: { name: string }) => l.name !== 'urgent');
    });
    expect(h.state(7)).toMatchObject({ stage: 'implement' });
    expect(requests(h, from).filter((l) => l.includes('/issues/7/labels'))).toEqual([]);
    expect(h.github.issues.get(7)?.labels).toEqual(['urgent', 'flowgate: implement']);
  });

  it('on a server that refuses GraphQL mutations, edits the status comment and sets the labels through REST', async () => {
    const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, { alice: 'read', bob: 'maintain' });
    h.github.refuseMutations = true;
    h.newIssue(7, 'alice');
    await h.deliver('issues', 'labeled', 7, byBob);
    const gate = h.github.log.length;
    await h.answerLastDispatch(7);
    // Asked once, at the first status edit with a label change; refused: REST for this repository from then on.
    const atGate = requests(h, gate).filter((l) => !l.startsWith('GET'));
    expect(atGate.slice(atGate.indexOf('POST /labels'))).toEqual([
      'POST /labels',
      'POST /graphql mutation',
      expect.stringMatching(/^PATCH \/issues\/comments\/\d+$/),
      'POST /issues/7/labels',
      expect.stringMatching(/^POST \/issues\/7\/comments$/),
    ]);
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: plan', 'flowgate: awaiting approval']);
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
    expect(sent.filter((l) => !l.startsWith('GET'))).toEqual([
      `POST /issues/comments/${approval.id}/reactions`,
      expect.stringMatching(/^PATCH \/issues\/comments\/\d+$/),
      'POST /labels',
      'PUT /issues/7/labels',
      'POST /actions/workflows/flowgate.yml/dispatches',
    ]);
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: implement']);
  });

  it('a label id GitHub no longer knows: the status comment is edited, the labels are set through REST', async () => {
    const h = await atTheGate();
    const from = h.github.log.length;
    const approval = await h.comment(7, 'bob', '/approve', (p) => {
      // The label was deleted and made again since: the id the payload shows is not one GitHub knows now.
      p.issue.labels = p.issue.labels.map((l: { name: string }) =>
        l.name === 'flowgate: plan' ? { ...l, node_id: 'LA_gone' } : l,
      );
    });
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'running' });
    const sent = requests(h, from).filter((l) => !l.startsWith('GET'));
    expect(sent).toEqual([
      `POST /issues/comments/${approval.id}/reactions`,
      'POST /labels',
      'POST /graphql mutation',
      'PUT /issues/7/labels',
      'POST /actions/workflows/flowgate.yml/dispatches',
    ]);
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: implement']);
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
