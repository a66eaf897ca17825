import { describe, expect, it } from 'vitest';
import { formatActionOutput } from '../../src/core/action-output.ts';
import { AppHarness, readExample } from '../support/app-harness.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');

async function planDispatched() {
  const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, { bob: 'maintain' });
  h.newIssue(7, 'alice');
  await h.deliver('issues', 'labeled', 7, (p) => {
    p.label = { name: 'flowgate:feature' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  return h;
}

/** The plan's output, posted by `login` (a bot) with its webhook. */
async function outputBy(h: AppHarness, login: string) {
  const d = h.github.dispatches.at(-1)?.inputs ?? {};
  const body = formatActionOutput(
    {
      kind: 'response',
      run: d.run_id ?? '',
      stage: 'plan',
      attempt: Number(d.attempt),
      nonce: d.nonce ?? '',
      usage: { tokens_in: 1, tokens_out: 2, cost_usd: 0 },
    },
    'The plan.',
  );
  h.tick();
  const comment = h.github.addComment(7, login, body, 'Bot');
  await h.deliver('issue_comment', 'created', 7, (p) => {
    p.comment.id = comment.id;
    p.comment.body = body;
    p.comment.user.login = login;
    p.comment.user.type = 'Bot';
    p.sender.login = login;
    p.sender.type = 'Bot';
  });
}

describe('who may post Action outputs', () => {
  it("accepts the app's own bot (an Action using the app's installation token), found by GET /app", async () => {
    const h = await planDispatched();
    await outputBy(h, 'flowgate[bot]');
    expect(h.state(7)).toMatchObject({ status: 'awaiting_approval' });
    expect(h.github.log.filter((l) => l === 'GET /app')).toHaveLength(1);
  });

  it('ignores another bot, even with a valid marker for this run', async () => {
    const h = await planDispatched();
    await outputBy(h, 'helpful[bot]');
    expect(h.state(7)).toMatchObject({ status: 'running', wait: { for: 'action' } });
  });
});
