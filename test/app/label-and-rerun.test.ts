import { describe, expect, it } from 'vitest';
import { AppHarness, readExample } from '../support/app-harness.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');

async function planAwaitingApproval() {
  const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, { bob: 'maintain', carol: 'write' });
  h.newIssue(7, 'alice');
  await h.deliver('issues', 'labeled', 7, (p) => {
    p.label = { name: 'flowgate:feature' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  await h.answerLastDispatch(7);
  return h;
}

async function addLabel(h: AppHarness, label: string, by: string) {
  h.github.issues.get(7)?.labels.push(label);
  await h.deliver('issues', 'labeled', 7, (p) => {
    p.label = { name: label };
    p.sender.login = by;
    p.sender.type = 'User';
  });
}

describe('a person adding a stage label', () => {
  it('moves the run there when a transition allows it and the person is a maintainer', async () => {
    const h = await planAwaitingApproval();
    await addLabel(h, 'flowgate: implement', 'bob');
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'running' });
    expect(h.github.issues.get(7)?.labels).toEqual(['flowgate: implement']);
  });

  it('from someone without maintain permission changes nothing, says why, and the label is taken back', async () => {
    const h = await planAwaitingApproval();
    await addLabel(h, 'flowgate: implement', 'carol');
    expect(h.state(7).stage).toBe('plan');
    expect(h.replies(7).at(-1)).toBe(
      '@carol cannot move the run: it needs maintain permission, and @carol has write.',
    );
    expect(h.github.issues.get(7)?.labels).not.toContain('flowgate: implement');
  });

  it('off the declared transitions is refused', async () => {
    const h = await planAwaitingApproval();
    await addLabel(h, 'flowgate: done', 'bob');
    expect(h.state(7).stage).toBe('plan');
    expect(h.replies(7).at(-1)).toContain(
      '`/flowgate goto` follows a declared transition of "plan" (to implement)',
    );
  });
});

describe('re-running the check run', () => {
  it('asks for /retry of the current stage', async () => {
    const h = await planAwaitingApproval();
    const runId = h.state(7).id;
    await h.deliver('check_run', 'rerequested', 7, (p) => {
      p.check_run.external_id = `flowgate:${runId}`;
      p.check_run.pull_requests = [];
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    expect(h.state(7).stages.plan?.attempt).toBe(2);
    expect(h.github.dispatches.at(-1)?.inputs).toMatchObject({ stage: 'plan', attempt: '2' });
  });
});
