import { describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';

const REVIEWED = `version: 1
name: answer
on: { labels: [flowgate:answer] }
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: draft
    provider: writer
    instructions: "Draft an answer to {{ subject.title }}"
    verdict: true
    gate: manual
    transitions:
      - { to: done, when: 'verdict == "pass"' }
      - { to: draft, when: 'attempt < 3' }
      - done
  - id: done
`;

async function drafted() {
  const h = new AppHarness({ '.github/flowgate/answer.yml': REVIEWED }, { bob: 'maintain' });
  h.newIssue(3, 'alice', 'How do I reset my password?');
  await h.deliver('issues', 'labeled', 3, (p) => {
    p.label = { name: 'flowgate:answer' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  await h.answerLastDispatch(3, { verdict: 'fail' }, 'Draft one.\n\nVerdict: FAIL');
  return h;
}

describe('/retry with feedback', () => {
  it('dispatches the stage again as attempt 2, with the feedback kept in the run', async () => {
    const h = await drafted();
    await h.comment(3, 'bob', '/retry Mention the settings page.');
    const state = h.state(3);
    expect(state.stages.draft).toMatchObject({ attempt: 2, feedback: 'Mention the settings page.' });
    expect(h.github.dispatches.at(-1)?.inputs).toMatchObject({
      stage: 'draft',
      attempt: '2',
      step: 'response',
    });
  });
});

describe('/reject then /retry', () => {
  it('pauses with the reason, and /retry goes on', async () => {
    const h = await drafted();
    await h.comment(3, 'bob', '/reject "Wrong product"');
    expect(h.state(3)).toMatchObject({ status: 'paused' });
    expect(h.state(3).resume?.reason).toBe('the response of "draft" was rejected by @bob: Wrong product');
    await h.comment(3, 'bob', '/resume');
    expect(h.replies(3).at(-1)).toContain('`/retry [feedback]` runs the stage again');
    await h.comment(3, 'bob', '/retry');
    expect(h.state(3)).toMatchObject({ status: 'running', stages: { draft: { attempt: 2 } } });
  });
});

describe('/approve --complete on a FAIL verdict', () => {
  it('completes the run and rewrites the verdict in the output comment', async () => {
    const h = await drafted();
    const output = h.github.comments.find((c) => c.login === 'github-actions[bot]');
    await h.comment(3, 'bob', '/approve --complete good enough');
    expect(h.state(3)).toMatchObject({ status: 'completed', stage: 'done' });
    expect(output?.body).toContain('Verdict: PASS');
    expect(output?.body).not.toContain('Verdict: FAIL');
  });
});
