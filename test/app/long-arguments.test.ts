import { describe, expect, it } from 'vitest';
import { TEXT_KEPT } from '../../src/core/state/bounded-text.ts';
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
    gate: manual
    next: done
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
  await h.answerLastDispatch(3, {}, 'Draft one.');
  return h;
}

/** A log pasted on one line (a command's argument is the rest of its line), `length` characters long. */
function pastedLog(length: number): string {
  const line = 'ERROR 2026-01-05T09:00:00Z worker-3 connection reset by peer (retrying); ';
  return `${line.repeat(Math.ceil(length / line.length)).slice(0, length - 1)}.`;
}

/** Every reaction flowgate left on the comment, in order. */
function reactions(h: AppHarness, comment: number): string[] {
  return h.github.reactions.filter((r) => r.comment === comment).map((r) => r.content);
}

/** The status comment's body: it must stay within GitHub's 65,536 characters. */
function statusLength(h: AppHarness, issue: number): number {
  const status = h.github.botComments(issue).find((c) => c.body.includes('<!-- flowgate:status run='));
  return status?.body.length ?? 0;
}

// 30,000: a pasted log, stored twice it no longer fit. 65,528: the longest argument a GitHub comment can hold.
// 70,000: longer than any comment, for a GitHub that some day takes more.
describe.each([30_000, 65_528, 70_000])('a %i-character argument', (length) => {
  const text = pastedLog(length);

  describe('/reject <reason>', () => {
    it('pauses the run, acknowledges, keeps the reason once and bounded, and /retry then /approve go on', async () => {
      const h = await drafted();
      const rejection = await h.comment(3, 'bob', `/reject ${text}`);
      const state = h.state(3);
      expect(state.status).toBe('paused');
      expect(reactions(h, rejection.id)).toEqual(['eyes']);
      const kept = state.stages.draft?.rejections.at(-1)?.reason ?? '';
      expect(kept.length).toBeLessThanOrEqual(TEXT_KEPT);
      expect(kept.startsWith(text.slice(0, 1_000))).toBe(true);
      expect(kept).toContain(
        `[cut: ${length.toLocaleString('en-US')} characters in all; the whole text is in [comment ${rejection.id}](#issuecomment-${rejection.id})]`,
      );
      expect(state.resume?.reason.length).toBeLessThanOrEqual(300);
      expect(JSON.stringify(state).length).toBeLessThan(20_000);
      expect(statusLength(h, 3)).toBeLessThanOrEqual(65_536);

      // /status answers with an excerpt of the reason that links the whole of it.
      await h.comment(3, 'bob', '/status');
      const status = h.replies(3).at(-1) ?? '';
      expect(status).toContain('`answer` is paused at');
      expect(status).toContain(
        `; the whole text is in [comment ${rejection.id}](#issuecomment-${rejection.id})]`,
      );
      expect(status.length).toBeLessThan(1_000);
      await h.comment(3, 'bob', '/retry');
      expect(h.state(3)).toMatchObject({ status: 'running', stages: { draft: { attempt: 2 } } });
      await h.answerLastDispatch(3, {}, 'Draft two.');
      await h.comment(3, 'bob', '/approve');
      expect(h.state(3)).toMatchObject({ status: 'completed', stage: 'done' });
    });
  });

  describe('/retry <feedback>', () => {
    it('dispatches attempt 2 with the feedback bounded, and a later /approve completes the run', async () => {
      const h = await drafted();
      const retry = await h.comment(3, 'bob', `/retry ${text}`);
      expect(reactions(h, retry.id)).toEqual(['eyes']);
      const state = h.state(3);
      expect(state).toMatchObject({ status: 'running', stages: { draft: { attempt: 2 } } });
      const feedback = state.stages.draft?.feedback ?? '';
      expect(feedback.length).toBeLessThanOrEqual(TEXT_KEPT);
      expect(feedback).toContain(`#issuecomment-${retry.id}`);
      expect(h.github.dispatches.at(-1)?.inputs).toMatchObject({ stage: 'draft', attempt: '2' });
      await h.answerLastDispatch(3, {}, 'Draft two.');
      await h.comment(3, 'bob', '/approve');
      expect(h.state(3)).toMatchObject({ status: 'completed', stage: 'done' });
    });
  });

  describe('/approve <note>', () => {
    it('approves and completes the run, keeping the note bounded', async () => {
      const h = await drafted();
      const approval = await h.comment(3, 'bob', `/approve ${text}`);
      expect(reactions(h, approval.id)).toEqual(['eyes']);
      const state = h.state(3);
      expect(state).toMatchObject({ status: 'completed', stage: 'done' });
      const note = state.stages.draft?.approvals.at(-1)?.note ?? '';
      expect(note.length).toBeLessThanOrEqual(TEXT_KEPT);
      expect(note).toContain(`#issuecomment-${approval.id}`);
      expect(state.history.every((entry) => (entry.reason?.length ?? 0) <= 300)).toBe(true);
    });
  });
});
