import { afterEach, describe, expect, it } from 'vitest';
import { OTHER_PUBLIC_KEY } from '../support/state-keys.ts';
import { ActionHarness } from './action-harness.ts';

const FLOW = `version: 1
name: feature
on: { labels: [flowgate:feature] }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5, max_output_tokens: 2000 }
stages:
  - id: plan
    provider: writer
    instructions: Write a plan for "{{ subject.title }}".
    prompt_gate: manual
    gate: manual
  - id: done
`;

let harness: ActionHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function started(): Promise<ActionHarness> {
  harness = await ActionHarness.start({ '.github/flowgate/feature.yml': FLOW }, { bob: 'maintain' });
  const h = harness;
  h.app.newIssue(7, 'alice', 'Add a --dry-run flag');
  await h.app.deliver('issues', 'labeled', 7, (p) => {
    p.label = { name: 'flowgate:feature' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  expect(h.lastDispatch()).toMatchObject({ stage: 'plan', step: 'prompt', attempt: '1' });
  return h;
}

describe('a dispatch that is no longer current', () => {
  it('exits successfully without posting anything, and says why in the log', async () => {
    const h = await started();
    const before = h.github.comments.length;
    const logged = h.github.log.length;
    const result = await h.run({}, { event: { inputs: { ...h.lastDispatch(), nonce: 'an-older-nonce' } } });
    expect(result.code).toBe(0);
    expect(h.github.comments).toHaveLength(before);
    expect(h.github.log.slice(logged).filter((l) => !l.startsWith('GET '))).toEqual([]);
    expect(result.stdout).toContain(
      'this dispatch is no longer current, so nothing is posted: the run waits for dispatch nonce-1 now, not an-older-nonce',
    );
    expect(result.outputs).toEqual({ outcome: 'stale' });
  });

  it('exits successfully without posting anything after the run was cancelled', async () => {
    const h = await started();
    const dispatch = h.lastDispatch();
    await h.app.comment(7, 'bob', '/cancel');
    const before = h.github.comments.length;
    const result = await h.run({}, { event: { inputs: dispatch } });
    expect(result.code).toBe(0);
    expect(h.github.comments).toHaveLength(before);
    expect(result.stdout).toContain('the run no longer waits for the Action (status cancelled)');
  });
});

describe('a re-run of a job that already answered', () => {
  it('posts nothing the second time, even before the app has read the first answer', async () => {
    const h = await started();
    const first = await h.run();
    expect(first.outputs).toMatchObject({ outcome: 'posted', kind: 'prompt' });
    const before = h.github.comments.length;
    const second = await h.run();
    expect(second.code).toBe(0);
    expect(second.outputs).toEqual({ outcome: 'stale' });
    expect(second.stdout).toContain(
      `it was answered already: https://github.com/acme/widgets/issues/7#issuecomment-${h.outputs(7)[0]?.id}`,
    );
    expect(h.github.comments).toHaveLength(before);
  });
});

describe('a tampered state block', () => {
  it('fails: a failure output says the state cannot be trusted, and nothing else is posted', async () => {
    const h = await started();
    const status = h.github.botComments(7).find((c) => c.body.includes('<!-- flowgate:status run='));
    if (status === undefined) throw new Error('no status comment');
    status.body = status.body.replace('"status":"running"', '"status":"completed"');
    const result = await h.run();
    expect(result.code).toBe(1);
    const [failure, ...more] = h.parsedOutputs(7);
    expect(more).toEqual([]);
    expect(failure?.output).toEqual({
      kind: 'failure',
      run: h.lastDispatch().run_id,
      stage: 'plan',
      attempt: 1,
      nonce: 'nonce-1',
      error: `the state of run ${h.lastDispatch().run_id} cannot be trusted: the state block's signature does not match: someone edited the status comment, copied it from another repository or issue, or the state key changed without its old public key kept (docs/security.md)`,
      url: 'https://github.com/acme/widgets/actions/runs/9876543210',
    });
    expect(result.stdout).toContain('::error::the state of run');
    expect(result.outputs).toMatchObject({ outcome: 'failed', kind: 'failure' });
  });

  it('fails the same way when the Action holds another key, and never shows the key', async () => {
    const h = await started();
    const otherKey = OTHER_PUBLIC_KEY;
    const result = await h.run({ FLOWGATE_STATE_PUBLIC_KEY: otherKey });
    expect(result.code).toBe(1);
    expect(h.parsedOutputs(7).map((o) => o.output.kind)).toEqual(['failure']);
    // `::add-mask::` lines are the runner's instructions to hide the value; the runner never shows them.
    const shown = result.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(result.stdout).toContain(`::add-mask::${otherKey}`);
    expect(`${shown.join('\n')}${result.stderr}${h.outputs(7)[0]?.body}`).not.toContain(otherKey);
  });
});

describe('inputs that cannot be used', () => {
  it('fail with a sentence per problem, and post nothing when the dispatch cannot be named', async () => {
    const h = await started();
    const before = h.github.comments.length;
    const { nonce: _nonce, ...inputs } = h.lastDispatch();
    const result = await h.run({}, { event: { inputs: { ...inputs, attempt: 'one' } } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::flowgate cannot start: the input "attempt" must be a whole number from 1, not "one": pass it with `with: attempt:` or dispatch the workflow with the input "attempt" (see the flowgate Action\'s README); the input "nonce" is missing: pass it with `with: nonce:` or dispatch the workflow with the input "nonce"',
    );
    expect(h.github.comments).toHaveLength(before);
  });

  it('fail without the state key, posting a failure output the run can act on', async () => {
    const h = await started();
    const result = await h.run({ FLOWGATE_STATE_PUBLIC_KEY: '' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::flowgate cannot start: the state key is not set');
    expect(h.parsedOutputs(7).map((o) => o.output)).toEqual([
      expect.objectContaining({
        kind: 'failure',
        nonce: 'nonce-1',
        error: expect.stringContaining('the state key is not set'),
      }),
    ]);
    await h.deliverOutputs(7);
    expect(h.app.state(7)).toMatchObject({ status: 'failed' });
  });
});
