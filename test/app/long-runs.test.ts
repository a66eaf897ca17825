import { describe, expect, it } from 'vitest';
import { formatActionOutputParts, sha256Hex } from '../../src/core/action-output.ts';
import { HISTORY_KEPT, SEEN_KEPT } from '../../src/core/state/compact-state.ts';
import { AppHarness, readExample } from '../support/app-harness.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');
const PEOPLE = { alice: 'read', bob: 'maintain', carol: 'write' };

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

/** Posts the Action's answer to the last dispatch as `count`-part output, one comment and one webhook per part. */
async function answerInParts(h: AppHarness, text: string, maxChars: number, deliverAfter: number[] = []) {
  const d = h.github.dispatches.at(-1)?.inputs ?? {};
  const bodies = formatActionOutputParts(
    {
      kind: 'response',
      run: d.run_id ?? '',
      stage: d.stage ?? '',
      attempt: Number(d.attempt),
      nonce: d.nonce ?? '',
      usage: { tokens_in: 10, tokens_out: 20, cost_usd: 0.001 },
    },
    text,
    maxChars,
  );
  const comments = [];
  for (const [i, body] of bodies.entries()) {
    h.tick();
    const comment = h.github.addComment(7, 'github-actions[bot]', body, 'Bot');
    comments.push(comment);
    if (deliverAfter.length === 0 || deliverAfter.includes(i + 1)) {
      await h.deliver('issue_comment', 'created', 7, (p) => {
        p.comment.id = comment.id;
        p.comment.body = body;
        p.comment.user.login = 'github-actions[bot]';
        p.comment.user.type = 'Bot';
        p.sender.login = 'github-actions[bot]';
        p.sender.type = 'Bot';
      });
    }
  }
  return comments;
}

const LONG_PLAN = Array.from({ length: 30 }, (_, i) => `Step ${i + 1}: do the ${i + 1}th thing.\n\n`).join(
  '',
);

describe('an output posted in parts', () => {
  it('counts once every part is in, as the joined text, whatever the delivery order', async () => {
    const h = await featureRun();
    const parts = await answerInParts(h, LONG_PLAN, 400, [1, 2]);
    expect(parts.length).toBeGreaterThan(2);
    // The first parts alone change nothing: the run still waits for the Action.
    expect(h.state(7)).toMatchObject({ status: 'running', wait: { for: 'action' } });
    await h.comment(7, 'carol', 'Looks long.');
    expect(h.state(7)).toMatchObject({ status: 'awaiting_approval' });
    const output = h.state(7).stages.plan?.output;
    expect(output?.sha256).toBe(sha256Hex(LONG_PLAN));
    expect(output?.pointer).toMatchObject({ comment_id: parts[0]?.id, parts: parts.map((p) => p.id) });
    expect(h.state(7).usage).toMatchObject({ tokens_in: 10, tokens_out: 20 });
  });

  it('re-opens the gate when one part is edited, and not before', async () => {
    const h = await featureRun();
    const parts = await answerInParts(h, LONG_PLAN, 400);
    await h.comment(7, 'carol', 'Reading it.');
    const before = h.state(7).stages.plan?.output?.sha256;
    expect(before).toBe(sha256Hex(LONG_PLAN));
    const second = parts[1];
    if (second === undefined) throw new Error('expected parts');
    h.tick();
    second.body = second.body.replace('Step', 'STEP');
    second.updated_at = h.now();
    await h.deliver('issue_comment', 'edited', 7, (p) => {
      p.comment.id = second.id;
      p.comment.body = second.body;
      p.comment.user.login = 'github-actions[bot]';
      p.comment.user.type = 'Bot';
    });
    const after = h.state(7).stages.plan?.output?.sha256;
    expect(after).not.toBe(before);
    const joined = parts.map((c) => c.body.replace(/\n\n<!-- flowgate:output .* -->$/, '')).join('');
    expect(after).toBe(sha256Hex(joined));
  });
});

describe('a long run', () => {
  it(`keeps the status comment small: ${HISTORY_KEPT} history entries, ${SEEN_KEPT} seen ids, nothing applied twice`, async () => {
    const h = await featureRun();
    const rounds = 105;
    for (let i = 0; i < rounds; i++) {
      await h.answerLastDispatch(7, {}, `Plan number ${i + 1}.`);
      await h.comment(7, 'bob', `/retry try again (${i + 1})`);
    }
    const state = h.state(7);
    const plan = state.stages.plan;
    expect(plan?.attempt).toBe(h.github.dispatches.length);
    expect(state.history.length).toBeLessThanOrEqual(HISTORY_KEPT);
    expect(state.history_trimmed).toBeGreaterThan(0);
    expect(state.seen.length).toBeLessThanOrEqual(SEEN_KEPT);
    expect(state.cursor?.comment).toBeGreaterThan(0);
    const status = h.github.botComments(7).find((c) => c.body.includes('flowgate:status'));
    expect(status?.body.length).toBeLessThan(20_000);

    // A redelivery of the very first /retry (its id long gone from `seen`, below the cursor) changes nothing.
    const first = h.github.comments.find((c) => c.body === '/retry try again (1)');
    if (first === undefined) throw new Error('no first retry');
    const dispatches = h.github.dispatches.length;
    await h.deliver('issue_comment', 'created', 7, (p) => {
      p.comment.id = first.id;
      p.comment.body = first.body;
      p.comment.user.login = 'bob';
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    expect(h.github.dispatches.length).toBe(dispatches);
    expect(h.state(7).stages.plan?.attempt).toBe(plan?.attempt);
  });

  it('lists only the comments since the last delivery, and the workflow directory only conditionally (a free 304)', async () => {
    const h = await featureRun();
    for (let i = 0; i < 150; i++) h.github.addComment(7, 'carol', `Chatter ${i}.`);
    await h.comment(7, 'carol', 'One more.');
    await h.answerLastDispatch(7);
    const before = h.github.log.length;
    await h.comment(7, 'bob', '/retry more detail');
    const calls = h.github.log.slice(before).filter((l) => !l.includes('/access_tokens'));
    expect(calls.filter((l) => l.endsWith('/issues/7/comments') && l.startsWith('GET'))).toHaveLength(1);
    expect(calls.filter((l) => l.includes('/contents/'))).toEqual([
      'GET /repos/acme/widgets/contents/.github%2Fflowgate 304',
    ]);
    expect(h.state(7).stages.plan?.attempt).toBe(2);
  });
});
