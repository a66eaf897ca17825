import { describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';

/** A file that writes no gate anywhere: a model plans, an agent-free second model reviews, then the end. */
const UNGATED = `version: 1
name: feature
on: { labels: [flowgate:feature] }
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: plan
    provider: writer
    instructions: Plan {{ subject.title }}
  - id: note
    run: [{ add_labels: [planned] }]
  - id: done
`;

function repository(text: string) {
  const h = new AppHarness({ '.github/flowgate/feature.yml': text }, { bob: 'write' });
  h.newIssue(4, 'alice', 'Add a dark mode');
  return h;
}

describe('the default gate', () => {
  it("holds a model's output for a person's /approve when the file writes no gate, then runs the system stage on its own", async () => {
    const h = repository(UNGATED);
    await h.comment(4, 'bob', '/flowgate start feature');
    await h.answerLastDispatch(4);
    expect(h.state(4)).toMatchObject({
      stage: 'plan',
      status: 'awaiting_approval',
      wait: { for: 'approval', step: 'response' },
    });
    expect(h.github.issues.get(4)?.labels).toContain('flowgate: awaiting approval');
    expect(h.github.dispatches).toHaveLength(1);
    await h.comment(4, 'bob', '/approve');
    // The system stage passes on its own (its default gate is skip), and the run completes.
    expect(h.state(4)).toMatchObject({ stage: 'done', status: 'completed' });
    expect(h.github.issues.get(4)?.labels).toContain('planned');
  });

  it('lets the output pass at once where the file says gate: skip, as before', async () => {
    const h = repository(
      UNGATED.replace('    instructions: Plan {{ subject.title }}\n', '$&    gate: skip\n'),
    );
    await h.comment(4, 'bob', '/flowgate start feature');
    await h.answerLastDispatch(4);
    expect(h.state(4)).toMatchObject({ stage: 'done', status: 'completed' });
  });

  it('lets it pass at once in an automated workflow, which has no person to wait for', async () => {
    const h = repository(UNGATED.replace('stages:\n', 'mode: automated\nstages:\n'));
    await h.comment(4, 'bob', '/flowgate start feature');
    await h.answerLastDispatch(4);
    expect(h.state(4)).toMatchObject({ stage: 'done', status: 'completed' });
  });
});
