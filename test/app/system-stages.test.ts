import { describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';

const WORKFLOW = `version: 1
name: announce
on: { labels: [flowgate:announce] }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5 }
defaults:
  approvers: { permission: write }
stages:
  - id: plan
    provider: writer
    instructions: Write a plan.
    gate: { approver: manual }
    next: announce
  - id: announce
    run:
      - comment: |
          The plan for #{{ subject.number }} is agreed:
          {{ outputs.plan }}
      - add_labels: planned
    next: done
  - id: done
    type: terminal
    archive: { after_days: 7, lock: true }
`;

const DAY_MINUTES = 24 * 60;

async function agreedRun() {
  const h = new AppHarness({ '.github/flowgate/announce.yml': WORKFLOW }, { bob: 'write', carol: 'write' });
  h.newIssue(3, 'alice');
  await h.deliver('issues', 'labeled', 3, (p) => {
    p.label = { name: 'flowgate:announce' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  await h.answerLastDispatch(3, {}, 'Step 1: ship it.');
  await h.comment(3, 'bob', '/approve');
  return h;
}

/** Any event on the issue makes the app look at it again, as its own timer would: here, a person adds a label. */
async function lookAgain(h: AppHarness) {
  await h.deliver('issues', 'labeled', 3, (p) => {
    p.label = { name: 'triaged' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
}

describe('a system stage', () => {
  it('posts its comment with the accepted output of an earlier stage, and adds its labels', async () => {
    const h = await agreedRun();
    expect(h.state(3)).toMatchObject({ status: 'completed', stage: 'done' });
    const announced = h.replies(3).find((r) => r.startsWith('The plan for #3 is agreed:'));
    expect(announced).toContain('Step 1: ship it.');
    expect(h.github.issues.get(3)?.labels).toContain('planned');
    // The /approve that ended the run was answered by the run, not told that no run is in progress.
    expect(h.replies(3).filter((r) => r.startsWith('No flowgate run'))).toEqual([]);
  });
});

describe('archive: { after_days: 7, lock: true }', () => {
  it('leaves the issue open before the seventh day', async () => {
    const h = await agreedRun();
    h.tick(6 * DAY_MINUTES);
    await lookAgain(h);
    expect(h.github.issues.get(3)).toMatchObject({ state: 'open' });
    expect(h.github.issues.get(3)?.locked).toBeUndefined();
  });

  it('closes and locks the issue once seven days have passed, says why once, and never closes it again', async () => {
    const h = await agreedRun();
    h.tick(7 * DAY_MINUTES);
    await lookAgain(h);
    expect(h.github.issues.get(3)).toMatchObject({ state: 'closed', locked: true });
    const said = h.replies(3).filter((r) => r.includes('completed 7 days ago'));
    expect(said).toEqual([
      'The `announce` run completed 7 days ago and nobody commented since: closing and locking this.',
    ]);
    // A maintainer reopens it: flowgate does not close it again.
    const issue = h.github.issues.get(3);
    if (issue !== undefined) issue.state = 'open';
    h.tick(DAY_MINUTES);
    await lookAgain(h);
    expect(h.github.issues.get(3)?.state).toBe('open');
    expect(h.replies(3).filter((r) => r.includes('completed 7 days ago'))).toHaveLength(1);
  });

  it('leaves the issue open when a person commented after the run ended, and says so', async () => {
    const h = await agreedRun();
    h.tick(DAY_MINUTES);
    await h.comment(3, 'carol', 'One more thing about the plan.');
    h.tick(7 * DAY_MINUTES);
    await lookAgain(h);
    expect(h.github.issues.get(3)?.state).toBe('open');
    expect(h.replies(3).at(-1)).toBe(
      'flowgate leaves this open: @carol commented after the `announce` run ended, so it is not archived.',
    );
  });
});
