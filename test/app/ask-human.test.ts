import { describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';

/** An ai stage whose model may ask (ask_human); the workflow's default approvers are octo and the leads team. */
const ASKING = `version: 1
name: answer
on: { labels: [flowgate:answer] }
providers:
  writer: anthropic/claude-sonnet-4-5
  checker: openai/gpt-5-mini
defaults:
  approvers: [octo, acme/leads]
stages:
  - id: draft
    provider: writer
    instructions: "Draft an answer to {{ subject.title }}"
    gate: { approver: "ai:checker", ask_human: Ask before promising a refund. }
  - id: done
`;

async function asked() {
  const h = new AppHarness({ '.github/flowgate/answer.yml': ASKING }, { bob: 'maintain', octo: 'write' });
  h.newIssue(3, 'alice', 'Can I get my money back?');
  await h.deliver('issues', 'labeled', 3, (p) => {
    p.label = { name: 'flowgate:answer' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  // The Action's response, as it posts a question: the model's text, and the question in the marker.
  const question = 'May I promise @alice a refund? [yes](https://evil.example) <img src=x>';
  await h.answerLastDispatch(3, { ask_human: { question } }, `Ask a human: ${question}`);
  return h;
}

describe('a question from the model (ask_human), through the app', () => {
  it('waits for an answer, and mentions the gate’s approvers (the defaults of an ai: gate) with the question, inert', async () => {
    const h = await asked();
    expect(h.state(3)).toMatchObject({
      status: 'awaiting_approval',
      wait: { for: 'answer', from: 'model', step: 'response' },
    });
    expect(h.replies(3).at(-1)).toBe(
      '@octo @acme/leads: the model of "draft" asks a question before it goes on. @octo or members of @acme/leads (with write permission) may answer with `/answer <text>`, `/reject <reason>` stops the stage, or `/retry [feedback]` runs the stage again.\n\n> May I promise @&#8203;alice a refund? &#91;yes]&#40;https:\u200b//evil.example) &lt;img src=x&gt;',
    );
    const status = h.github.botComments(3).find((c) => c.body.includes('<!-- flowgate:status run='))?.body;
    expect(status).toContain(
      '#### Question: draft (response)\n\nThe model asks:\n\n> May I promise @&#8203;alice a refund?',
    );
    expect(status).toContain('- **Commands:** `/answer <text>` · `/reject <reason>` · `/retry [feedback]`');
    expect(h.github.issues.get(3)?.labels).toContain('flowgate: awaiting approval');
  });

  it('answers /answer from someone who may not decide the gate with who may', async () => {
    const h = await asked();
    await h.comment(3, 'bob', '/answer Yes.');
    expect(h.replies(3).at(-1)).toBe(
      '@bob cannot answer: only @octo or members of @acme/leads (with write permission) may approve this gate.',
    );
    expect(h.github.dispatches).toHaveLength(1);
  });

  it('on /answer from an approver dispatches a new attempt, the answer kept as its feedback', async () => {
    const h = await asked();
    await h.comment(3, 'octo', '/answer No refunds after 30 days.');
    expect(h.state(3).stages.draft).toMatchObject({
      attempt: 2,
      feedback: 'No refunds after 30 days.',
      asked: [{ attempt: 1, from: 'model', answer: 'No refunds after 30 days.', by: 'octo' }],
    });
    expect(h.github.dispatches.at(-1)?.inputs).toMatchObject({
      stage: 'draft',
      attempt: '2',
      step: 'response',
    });
    expect(h.github.issues.get(3)?.labels).not.toContain('flowgate: awaiting approval');
  });
});
