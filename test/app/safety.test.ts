import { describe, expect, it } from 'vitest';
import { formatActionOutputParts } from '../../src/core/action-output.ts';
import { encodeStateBlock } from '../../src/core/state/encode-state.ts';
import { AppHarness, type Payload, readExample } from '../support/app-harness.ts';
import { OTHER_PRIVATE_KEY, OTHER_PUBLIC_KEY, REPO_ID, STATE_PRIVATE_KEY } from '../support/state-keys.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');
const ROLES = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;

async function waitingForPlanApproval() {
  const people: Record<string, string> = { bob: 'maintain' };
  for (const role of ROLES) if (role !== 'none') people[`user-${role}`] = role;
  const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, people);
  h.newIssue(7, 'alice');
  await h.deliver('issues', 'labeled', 7, (p) => {
    p.label = { name: 'flowgate:feature' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  await h.answerLastDispatch(7);
  return h;
}

describe('/approve on a gate that needs maintain permission', () => {
  it.each([
    ['none', false],
    ['read', false],
    ['triage', false],
    ['write', false],
    ['maintain', true],
    ['admin', true],
  ])('from someone with %s permission: approved = %s', async (role, approved) => {
    const h = await waitingForPlanApproval();
    await h.comment(7, `user-${role}`, '/approve');
    expect(h.state(7).stage === 'implement').toBe(approved);
    if (!approved) {
      expect(h.replies(7).at(-1)).toBe(
        `@user-${role} cannot approve: approving needs maintain permission on this repository, and @user-${role} has ${role}. Who may approve: anyone with maintain permission.`,
      );
    }
  });

  it('from the issue author, even a maintainer, is refused', async () => {
    const h = await waitingForPlanApproval();
    h.github.permissions.set('alice', 'maintain');
    await h.comment(7, 'alice', '/approve');
    expect(h.state(7).stage).toBe('plan');
    expect(h.replies(7).at(-1)).toBe(
      '@alice cannot approve: the author of this issue cannot approve it. Who may approve: anyone with maintain permission.',
    );
  });

  it('from a bot is ignored without a reply', async () => {
    const h = await waitingForPlanApproval();
    const before = h.github.comments.length;
    h.github.permissions.set('helper[bot]', 'admin');
    const comment = h.github.addComment(7, 'helper[bot]', '/approve', 'Bot');
    await h.deliver('issue_comment', 'created', 7, (p) => {
      p.comment.id = comment.id;
      p.comment.body = '/approve';
      p.comment.user.login = 'helper[bot]';
      p.comment.user.type = 'Bot';
      p.sender.login = 'helper[bot]';
      p.sender.type = 'Bot';
    });
    expect(h.state(7).stage).toBe('plan');
    expect(h.github.comments.length).toBe(before + 1);
  });

  it('added by editing an old comment does not count', async () => {
    const h = await waitingForPlanApproval();
    const comment = await h.comment(7, 'bob', 'I will look at this.');
    comment.body = '/approve';
    comment.updated_at = new Date(Date.parse(comment.updated_at) + 60_000).toISOString();
    await h.deliver('issue_comment', 'edited', 7, (p) => {
      p.comment.id = comment.id;
      p.comment.body = '/approve';
      p.comment.user.login = 'bob';
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    expect(h.state(7).stage).toBe('plan');
  });
});

describe('delivery', () => {
  it('of the same webhook twice, and twice at once, applies it once', async () => {
    const h = await waitingForPlanApproval();
    const approval = h.github.addComment(7, 'bob', '/approve');
    const edit = (p: Payload) => {
      p.comment.id = approval.id;
      p.comment.body = '/approve';
      p.comment.user.login = 'bob';
      p.sender.login = 'bob';
      p.sender.type = 'User';
    };
    await Promise.all([
      h.deliver('issue_comment', 'created', 7, edit, 'same-delivery'),
      h.deliver('issue_comment', 'created', 7, edit, 'same-delivery'),
    ]);
    await h.deliver('issue_comment', 'created', 7, edit, 'same-delivery');
    const state = h.state(7);
    expect(state.stage).toBe('implement');
    expect(state.stages.plan?.approvals.filter((a) => a.by === 'bob')).toHaveLength(1);
    expect(h.github.dispatches.filter((d) => d.inputs.stage === 'implement')).toHaveLength(1);
    expect(h.github.reactions.filter((r) => r.comment === approval.id)).toHaveLength(1);
  });
});

describe('a status comment whose state block was edited by hand', () => {
  it('is not trusted: the run is left as it was, and one notice explains why', async () => {
    const h = await waitingForPlanApproval();
    const status = h.github.botComments(7).find((c) => c.body.includes('flowgate:status'));
    if (status === undefined) throw new Error('no status comment');
    status.body = status.body.replace('"status":"awaiting_approval"', '"status":"completed"');
    await h.comment(7, 'bob', '/approve');
    await h.comment(7, 'bob', '/status');
    expect(status.body).toContain('"status":"completed"');
    expect(h.github.dispatches.filter((d) => d.inputs.stage === 'implement')).toHaveLength(0);
    const notices = h.replies(7).filter((r) => r.includes('cannot trust the state'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^⚠️ flowgate cannot trust the state of run `7-feature-[0-9a-f]{8}`: the state block's signature does not match/,
    );
    expect(notices[0]).not.toContain('/flowgate start');
  });

  it('answers commands by saying the state is not trusted, never by inviting a second run', async () => {
    const h = await waitingForPlanApproval();
    const status = h.github.botComments(7).find((c) => c.body.includes('flowgate:status'));
    if (status === undefined) throw new Error('no status comment');
    status.body = status.body.replace('"status":"awaiting_approval"', '"status":"completed"');
    await h.comment(7, 'bob', '/approve');
    await h.comment(7, 'bob', '/flowgate start feature');
    const [, approve, start] = h.replies(7).filter((r) => !r.startsWith('the output of'));
    expect(approve).toMatch(
      /^flowgate cannot act on this: the state of run `7-feature-[0-9a-f]{8}` is not trusted \(the notice above says why and what to do\), so commands wait\.$/,
    );
    expect(start).toMatch(
      /^No run starts here while the state of run `7-feature-[0-9a-f]{8}` is not trusted/,
    );
    expect(h.replies(7).join('\n')).not.toContain('No flowgate run is in progress');
    expect(h.github.botComments(7).filter((c) => c.body.includes('flowgate:status'))).toHaveLength(1);
  });
});

describe('starting a workflow whose file has errors', () => {
  const BROKEN_YAML = 'version: 1\nname: broken\non: { labels: [flowgate:broken] }\nstages: [\n';
  const BAD_GATE = readExample('plan-implement-review-revise.yml')
    .replace('name: feature', 'name: manul')
    .replace(/labels: \[flowgate:feature\]/, 'labels: [flowgate:manul]')
    .replace(/approver: manual/, 'approver: manul');

  async function repoWithBrokenFiles() {
    const h = new AppHarness(
      { '.github/flowgate/broken.yml': BROKEN_YAML, '.github/flowgate/manul.yml': BAD_GATE },
      { bob: 'maintain' },
    );
    h.newIssue(9, 'alice');
    return h;
  }

  it('by command answers with the file errors at file:line:col', async () => {
    const h = await repoWithBrokenFiles();
    await h.comment(9, 'bob', '/flowgate start broken');
    const [reply] = h.replies(9);
    expect(reply).toMatch(
      /^The workflow file `\.github\/flowgate\/broken\.yml` has errors, so no run started:/,
    );
    expect(reply).toMatch(/\.github\/flowgate\/broken\.yml:\d+:\d+: /);
    expect(reply).not.toContain('There is no workflow');
  });

  it('by a schema error answers with the field at fault', async () => {
    const h = await repoWithBrokenFiles();
    await h.comment(9, 'bob', '/flowgate start manul');
    const [reply] = h.replies(9);
    expect(reply).toMatch(/^The workflow file `\.github\/flowgate\/manul\.yml` has errors/);
    expect(reply).toMatch(/manul\.yml:\d+:\d+: .*manul/);
  });

  it('by its label answers with the file errors, once per label added', async () => {
    const h = await repoWithBrokenFiles();
    const label = async () =>
      h.deliver('issues', 'labeled', 9, (p) => {
        p.label = { name: 'flowgate:broken' };
        p.sender.login = 'bob';
        p.sender.type = 'User';
      });
    const delivery = await label();
    await h.deliver(
      'issues',
      'labeled',
      9,
      (p) => {
        p.label = { name: 'flowgate:broken' };
        p.sender.login = 'bob';
        p.sender.type = 'User';
      },
      delivery,
    );
    expect(h.replies(9)).toHaveLength(1);
    expect(h.replies(9)[0]).toMatch(/^The workflow file `\.github\/flowgate\/broken\.yml` has errors/);
    expect(h.github.botComments(9).filter((c) => c.body.includes('flowgate:status'))).toHaveLength(0);
  });
});

describe('creating a comment when GitHub answers 502 but created it', () => {
  it('ends with one status comment, not two', async () => {
    const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, { bob: 'maintain' });
    h.newIssue(9, 'alice');
    h.github.failures.push({
      method: 'POST',
      path: /\/issues\/9\/comments$/,
      status: 502,
      thenSucceed: true,
    });
    await h.deliver('issues', 'labeled', 9, (p) => {
      p.label = { name: 'flowgate:feature' };
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    const statuses = h.github.botComments(9).filter((c) => c.body.includes('flowgate:status'));
    expect(statuses).toHaveLength(1);
    expect(h.state(9).stage).toBe('plan');
  });
});

describe('a status comment edited as github-actions[bot] (any workflow job with issues: write writes as that bot)', () => {
  async function atTheGate(stateKey?: string) {
    const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, { bob: 'maintain' }, { stateKey });
    h.newIssue(7, 'alice');
    await h.deliver('issues', 'labeled', 7, (p) => {
      p.label = { name: 'flowgate:feature' };
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    const status = h.github.botComments(7).find((c) => c.body.includes('flowgate:status'));
    if (status === undefined) throw new Error('no status comment');
    const dispatched = status.body;
    await h.answerLastDispatch(7);
    expect(h.state(7)).toMatchObject({ stage: 'plan', status: 'awaiting_approval' });
    return { h, status, dispatched };
  }

  async function edited(h: AppHarness, id: number, body: string) {
    h.github.editComment(id, 'github-actions[bot]', body);
    await h.deliver('issue_comment', 'edited', 7, (p) => {
      p.comment.id = id;
      p.comment.body = body;
      p.comment.user.login = 'flowgate[bot]';
      p.comment.user.type = 'Bot';
      p.sender.login = 'github-actions[bot]';
      p.sender.type = 'Bot';
    });
  }

  it('back to an older state the app signed: refused as any other edit, and put back', async () => {
    const { h, status, dispatched } = await atTheGate();
    const latest = status.body;
    await edited(h, status.id, dispatched);
    // The app ignores webhooks of bots' comments other than outputs: the next event on the subject finds the edit.
    await h.comment(7, 'alice', 'Any news?');
    expect(status.body).toBe(latest);
    expect(
      h.replies(7).filter((r) => r.includes('@github-actions[bot] edited the status comment')),
    ).toHaveLength(1);
  });

  it("with a block signed by another key the app trusts (a sweep's, in FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS): taken", async () => {
    const { h, status } = await atTheGate(`${STATE_PRIVATE_KEY},${OTHER_PUBLIC_KEY}`);
    const swept = { ...h.state(7), rev: h.state(7).rev + 1 };
    const body = status.body.replace(
      /<!-- flowgate:state[\s\S]*?\n-->/,
      encodeStateBlock(swept, OTHER_PRIVATE_KEY, { id: REPO_ID, number: 7 }),
    );
    await edited(h, status.id, body);
    await h.comment(7, 'bob', '/approve');
    expect(h.replies(7).join('\n')).not.toMatch(/edited the status comment|cannot trust/);
    expect(h.state(7)).toMatchObject({ stage: 'implement', rev: swept.rev + 1 });
  });
});

describe('an output posted in parts, one part edited by a writer before the app read it', () => {
  it('is not read: the step fails once, with one reply, and /retry runs the stage again', async () => {
    const h = await waitingForPlanApproval();
    await h.comment(7, 'bob', '/retry');
    const d = h.github.dispatches.at(-1)?.inputs ?? {};
    const [first, second] = formatActionOutputParts(
      {
        kind: 'response',
        run: d.run_id ?? '',
        stage: d.stage ?? '',
        attempt: Number(d.attempt),
        nonce: d.nonce ?? '',
        usage: { tokens_in: 10, tokens_out: 20, cost_usd: 0.001 },
      },
      `${'The plan. '.repeat(30)}\n\n${'More of it. '.repeat(30)}`,
      300,
    );
    if (first === undefined || second === undefined) throw new Error('not in parts');
    const one = h.github.addComment(7, 'github-actions[bot]', first, 'Bot');
    const two = h.github.addComment(7, 'github-actions[bot]', second, 'Bot');
    h.github.editComment(two.id, 'user-write', second.replace('More of it.', 'Approved by all.'));
    for (const c of [one, two]) {
      await h.deliver('issue_comment', 'created', 7, (p) => {
        p.comment.id = c.id;
        p.comment.body = c.body;
        p.comment.user.login = 'github-actions[bot]';
        p.comment.user.type = 'Bot';
        p.sender.login = 'github-actions[bot]';
        p.sender.type = 'Bot';
      });
    }
    expect(h.state(7)).toMatchObject({ stage: 'plan', status: 'failed' });
    expect(h.state(7).stages.plan?.attempt).toBe(2);
    const notices = h.replies(7).filter((r) => r.includes('edited the output comment'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      new RegExp(
        `^⚠️ @user-write edited the output comment https://github\\.com/acme/widgets/issues/7#issuecomment-${two.id} \\(posted by @github-actions\\[bot\\]\\)`,
      ),
    );
    expect(h.state(7).last_error).toContain('@user-write edited the output comment the Action posted');
    expect(h.state(7).history.filter((e) => e.what === 'failed')).toHaveLength(1);
    const dispatches = h.github.dispatches.length;
    await h.comment(7, 'bob', '/retry');
    expect(h.github.dispatches).toHaveLength(dispatches + 1);
    expect(h.state(7)).toMatchObject({ stage: 'plan', status: 'running' });
  });
});
