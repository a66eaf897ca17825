import { describe, expect, it } from 'vitest';
import { AppHarness, readExample } from '../support/app-harness.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');

describe('a stage workflow that ends before reporting', () => {
  it.each([
    ['timed_out', 'the stage workflow timed out before reporting a result'],
    ['cancelled', 'the stage workflow was cancelled before reporting a result'],
    ['startup_failure', 'the stage workflow could not start before reporting a result'],
  ])('fails the stage and says what happened in words (%s)', async (conclusion, words) => {
    const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, { bob: 'maintain' });
    h.newIssue(7, 'alice');
    await h.deliver('issues', 'labeled', 7, (p) => {
      p.label = { name: 'flowgate:feature' };
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    const { id } = h.state(7);
    const nonce = h.github.dispatches.at(-1)?.inputs.nonce;
    await h.deliver('workflow_run', 'completed', 7, (p) => {
      p.workflow_run.display_title = `flowgate run ${id} #7 plan ${nonce}`;
      p.workflow_run.conclusion = conclusion;
    });
    const state = h.state(7);
    expect(state.status).toBe('failed');
    expect(JSON.stringify(state)).toContain(words);
    expect(JSON.stringify(state)).not.toContain(conclusion === 'cancelled' ? 'ended with' : conclusion);
  });
});
