import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/action-output.ts';
import { AppHarness } from '../support/app-harness.ts';

/** A manual plan stage whose content dana approves; two approvals when `approvals` says so. */
function manualWorkflow(approvals = 1): string {
  return `version: 1
name: manual
on: { labels: [flowgate:manual] }
stages:
  - id: plan
    mode: manual
    instructions: |
      Write an implementation plan for: {{ subject.title }}
      {% if feedback != blank %}It was sent back: {{ feedback }}{% endif %}
    gate: { approver: manual, min_approvals: ${approvals}, approvers: { users: [dana, erin] } }
    next: done
  - id: done
`;
}

/** The same stage judged by an AI approver that may reject its content once per visit. */
const JUDGED = `version: 1
name: judged
on: { labels: [flowgate:judged] }
providers:
  checker: openai/gpt-5-mini
stages:
  - id: plan
    mode: manual
    instructions: "Write an implementation plan for: {{ subject.title }}"
    gate: { approver: "ai:checker", max_retries: 1 }
    next: done
  - id: done
`;

const PEOPLE = { alice: 'write', bob: 'maintain', dana: 'write', erin: 'write', rita: 'read' };

async function started(workflow = manualWorkflow(), label = 'flowgate:manual') {
  const h = new AppHarness({ '.github/flowgate/flow.yml': workflow }, PEOPLE);
  h.newIssue(5, 'carol', 'Sessions in the database');
  await h.deliver('issues', 'labeled', 5, (p) => {
    p.label = { name: label };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  return h;
}

const PLAN = '## Plan\n\n1. Add a sessions table.\n\n```sql\nCREATE TABLE sessions (id text);\n```';

const HOW_TO =
  '**How to hand it in:** start a new comment with `/submit`, followed by the content on the same line or the lines below it: everything after `/submit` is taken, code blocks included. Anyone with write permission may submit; an ordinary comment is never taken as content.';

describe('a manual stage, through the app', () => {
  it('posts its rendered instructions on entry, with who is asked and how to hand the content in', async () => {
    const h = await started();
    expect(h.state(5)).toMatchObject({
      stage: 'plan',
      status: 'awaiting_approval',
      wait: { for: 'content' },
    });
    expect(h.replies(5)).toEqual([
      [
        '@dana @erin: stage **plan** waits for its content from a person (attempt 1).',
        '',
        '**What to provide:**',
        '',
        'Write an implementation plan for: ',
        '```data: subject.title',
        'Sessions in the database',
        '```',
        '',
        `${HOW_TO} Then it waits for approval by @dana or @erin (with write permission): \`/approve\`, or \`/reject <reason>\` or \`/retry [feedback]\` to ask for new content; whoever submits it cannot approve it.`,
      ].join('\n'),
    ]);
  });

  it('never takes a chat comment as content', async () => {
    const h = await started();
    const before = h.replies(5).length;
    await h.comment(5, 'alice', 'I will get to this tomorrow.');
    expect(h.state(5)).toMatchObject({ status: 'awaiting_approval', wait: { for: 'content' } });
    expect(h.state(5).stages.plan?.output).toBeUndefined();
    expect(h.replies(5)).toHaveLength(before);
  });

  it('takes what follows /submit as the content, says so, and opens the gate; its writer cannot approve it', async () => {
    const h = await started();
    const comment = await h.comment(5, 'erin', `/submit ${PLAN}`);
    const state = h.state(5);
    expect(state.stages.plan?.output).toEqual({
      attempt: 1,
      sha256: sha256Hex(PLAN),
      pointer: { comment_id: comment.id },
      by: 'erin',
    });
    expect(state.wait).toMatchObject({ for: 'approval', step: 'response' });
    expect(h.replies(5).slice(-2)).toEqual([
      'Taken: this comment is the content of stage "plan" (attempt 1), submitted by @erin.',
      '@dana @erin: the output of "plan" waits for approval by @dana or @erin (with write permission): comment /approve, /reject <reason> or /retry [feedback].',
    ]);
    expect(h.github.reactions.filter((r) => r.comment === comment.id).map((r) => r.content)).toEqual([
      'eyes',
    ]);
    await h.comment(5, 'erin', '/approve');
    expect(h.replies(5).at(-1)).toBe(
      '@erin cannot approve: @erin supplied this content and cannot approve it. Who may approve: @dana or @erin (with write permission).',
    );
    await h.comment(5, 'dana', '/approve');
    expect(h.state(5)).toMatchObject({ status: 'completed', stage: 'done' });
  });

  it('refuses a /submit from someone without write permission, and keeps waiting', async () => {
    const h = await started();
    await h.comment(5, 'rita', '/submit My plan.');
    expect(h.replies(5).at(-1)).toBe(
      '@rita cannot submit: handing in content needs write permission on this repository, and @rita has read.',
    );
    expect(h.state(5)).toMatchObject({ wait: { for: 'content' } });
  });

  it('refuses a second /submit while the first waits for approval', async () => {
    const h = await started();
    await h.comment(5, 'alice', '/submit Plan one.');
    await h.comment(5, 'alice', '/submit Plan two.');
    expect(h.replies(5).at(-1)).toBe(
      'Nothing was taken: stage "plan" has its content for attempt 1 already. `manual` waits for approval of the response at stage "plan". Used 0 tokens, $0.0000. `/retry [feedback]` or `/reject <reason>` by an approver asks for new content.',
    );
    expect(h.state(5).stages.plan?.output?.sha256).toBe(sha256Hex('Plan one.'));
  });

  it('on /reject asks for new content at once, with the reason in the instructions, and dispatches nothing', async () => {
    const h = await started();
    await h.comment(5, 'alice', '/submit Plan one.');
    await h.comment(5, 'dana', '/reject No way back if the migration fails.');
    expect(h.state(5)).toMatchObject({
      status: 'awaiting_approval',
      wait: { for: 'content' },
      stages: { plan: { attempt: 2, feedback: 'No way back if the migration fails.' } },
    });
    const request = h.replies(5).at(-1) ?? '';
    expect(request).toContain('stage **plan** waits for its content from a person (attempt 2).');
    expect(request).toContain(
      '**Sent back** by @dana (attempt 1); the instructions below show its feedback.',
    );
    expect(request).toContain(
      'It was sent back: \n```data: feedback\nNo way back if the migration fails.\n```',
    );
    expect(h.github.dispatches).toEqual([]);
    await h.comment(5, 'alice', '/submit\nPlan two, with a down migration.');
    expect(h.state(5).stages.plan?.output).toMatchObject({
      attempt: 2,
      sha256: sha256Hex('Plan two, with a down migration.'),
    });
  });

  it('on /retry asks for new content, and refuses a /retry while it waits for it', async () => {
    const h = await started();
    await h.comment(5, 'alice', '/submit Plan one.');
    await h.comment(5, 'dana', '/retry Add the tests.');
    expect(h.state(5)).toMatchObject({ wait: { for: 'content' }, stages: { plan: { attempt: 2 } } });
    await h.comment(5, 'dana', '/retry');
    expect(h.replies(5).at(-1)).toBe(
      'Nothing to retry: stage "plan" waits for new content (attempt 2); hand it in with `/submit <content>`.',
    );
    expect(h.github.dispatches).toEqual([]);
  });

  it('voids approvals when the /submit comment is edited afterwards', async () => {
    const h = await started(manualWorkflow(2));
    const comment = await h.comment(5, 'alice', '/submit Plan one.');
    await h.comment(5, 'dana', '/approve');
    expect(h.state(5).stages.plan?.approvals.map((a) => a.by)).toEqual(['dana']);
    h.tick();
    h.github.editComment(comment.id, 'alice', '/submit Plan one, and drop the users table.');
    await h.deliver('issue_comment', 'edited', 5, (p) => {
      p.comment.id = comment.id;
      p.comment.body = '/submit Plan one, and drop the users table.';
      p.comment.user.login = 'alice';
      p.sender.login = 'alice';
      p.sender.type = 'User';
    });
    await h.comment(5, 'erin', '/approve');
    expect(h.state(5)).toMatchObject({ stage: 'plan', status: 'awaiting_approval' });
    expect(h.state(5).history.map((e) => e.what)).toContain('plan: response edited by @alice');
  });

  it('answers /submit on a stage that is not manual, and lists /submit in the help', async () => {
    const h = await started(
      `version: 1
name: drafted
on: { labels: [flowgate:manual] }
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: plan
    provider: writer
    instructions: "Plan {{ subject.title }}"
    gate: manual
  - id: done
`,
    );
    await h.comment(5, 'alice', '/submit My own plan.');
    expect(h.replies(5).at(-1)).toBe(
      'Nothing was taken: `/submit` hands in the content of a manual stage, and stage "plan" is an ai stage. `drafted` is running stage "plan". Used 0 tokens, $0.0000.',
    );
    await h.comment(5, 'alice', '/flowgate help');
    expect(h.replies(5).at(-1)).toContain(
      '- `/submit <content>`: hand in the content a manual stage waits for',
    );
  });
});

describe('a manual stage judged by an AI approver, through the app', () => {
  async function submitted() {
    const h = await started(JUDGED, 'flowgate:judged');
    await h.comment(5, 'alice', '/submit Plan one.');
    return h;
  }

  async function approverSays(h: AppHarness, decision: 'approved' | 'rejected', feedback: string) {
    const d = h.github.dispatches.at(-1);
    if (d === undefined) throw new Error('nothing was dispatched');
    const usage = { tokens_in: 50, tokens_out: 10, cost_usd: 0.001 };
    const output = {
      kind: 'approver' as const,
      run: d.inputs.run_id ?? '',
      stage: d.inputs.stage ?? '',
      attempt: Number(d.inputs.attempt),
      nonce: d.inputs.nonce ?? '',
      decision,
      feedback,
      usage,
    };
    await h.actionOutput(5, output, `${decision}: ${feedback}`);
  }

  it('asks the approver to judge the content', async () => {
    const h = await submitted();
    expect(h.github.dispatches.map((d) => [d.inputs.stage, d.inputs.attempt, d.inputs.step])).toEqual([
      ['plan', '1', 'approver'],
    ]);
    expect(h.replies(5)[0]).toContain(
      'Then the AI approver `ai:checker` judges it; a rejection asks here for new content, with its feedback (1 time in this visit; one more rejection fails the run).',
    );
  });

  it('on a rejection asks the person for new content with the feedback, and never dispatches a response', async () => {
    const h = await submitted();
    await approverSays(h, 'rejected', 'There is no way back if the migration fails.');
    expect(h.state(5)).toMatchObject({
      status: 'awaiting_approval',
      wait: { for: 'content' },
      stages: { plan: { attempt: 2, visit_retries: 1 } },
    });
    expect(h.github.dispatches.map((d) => d.inputs.step)).toEqual(['approver']);
    const request = h.replies(5).at(-1) ?? '';
    expect(request).toContain(
      '**Sent back** by the AI approver `ai:checker` (attempt 1), with this feedback:\n\n```data: feedback\nThere is no way back if the migration fails.\n```',
    );
    await h.comment(5, 'alice', '/submit Plan two, with a down migration.');
    expect(h.github.dispatches.map((d) => [d.inputs.attempt, d.inputs.step])).toEqual([
      ['1', 'approver'],
      ['2', 'approver'],
    ]);
    await approverSays(h, 'approved', 'Good.');
    expect(h.state(5)).toMatchObject({ status: 'completed', stage: 'done' });
  });

  it('fails the run after max_retries rejections and one more; /retry asks for content again', async () => {
    const h = await submitted();
    await approverSays(h, 'rejected', 'No.');
    await h.comment(5, 'alice', '/submit Plan two.');
    await approverSays(h, 'rejected', 'Still no.');
    expect(h.state(5)).toMatchObject({
      status: 'failed',
      last_error:
        'ai:checker rejected the response of "plan" 2 times (max_retries 1); last feedback: Still no.',
    });
    await h.comment(5, 'bob', '/retry');
    expect(h.state(5)).toMatchObject({
      status: 'awaiting_approval',
      wait: { for: 'content' },
      stages: { plan: { attempt: 3, visit_retries: 0 } },
    });
    expect(h.github.dispatches.map((d) => d.inputs.step)).toEqual(['approver', 'approver']);
  });
});
