import { describe, expect, it } from 'vitest';
import { WORKFLOW_CHECK } from '../../src/app/check-workflow-files.ts';
import { AppHarness, example, readExample } from '../support/app-harness.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');
const BROKEN = FEATURE.replace('approver: manual', 'approver: manul');
const HEAD = 'f'.repeat(40);

/** Someone pushes `files` to a branch: the branch holds them at HEAD, then GitHub's push webhook is delivered. */
async function push(h: AppHarness, files: Record<string, string>, changed = Object.keys(files)) {
  h.github.branches.set('fix-workflow', { head: HEAD, files: new Map(Object.entries(files)) });
  const payload = example('push', 'push');
  delete payload.action;
  Object.assign(payload, {
    ref: 'refs/heads/fix-workflow',
    after: HEAD,
    deleted: false,
    commits: [{ id: HEAD, added: [], modified: changed, removed: [] }],
    installation: { id: 42, node_id: 'x' },
  });
  payload.repository.name = 'widgets';
  payload.repository.full_name = 'acme/widgets';
  payload.repository.owner.login = 'acme';
  await h.probot.receive({ id: `push-${Date.now()}`, name: 'push', payload: payload as never });
  return h.github.checkRuns.filter((c) => c.name === WORKFLOW_CHECK && c.head_sha === HEAD);
}

describe('a push that changes a workflow file', () => {
  it('gets a failing check run with an annotation at the error, and the errors in its summary', async () => {
    const h = new AppHarness({}, {});
    const [check, ...more] = await push(h, { '.github/flowgate/feature.yml': BROKEN });
    expect(more).toEqual([]);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const line = BROKEN.split('\n').findIndex((l) => l.includes('approver: manul')) + 1;
    expect(check?.annotations).toEqual([
      expect.objectContaining({
        path: '.github/flowgate/feature.yml',
        start_line: line,
        end_line: line,
        annotation_level: 'failure',
      }),
    ]);
    const output = check?.output as { title: string; summary: string };
    expect(output.title).toBe('1 error in the workflow files');
    expect(output.summary).toContain(`.github/flowgate/feature.yml:${line}:`);
  });

  it('passes when every file is valid', async () => {
    const h = new AppHarness({}, {});
    const [check] = await push(h, { '.github/flowgate/feature.yml': FEATURE });
    expect(check).toMatchObject({ conclusion: 'success', annotations: [] });
    expect(check?.output).toMatchObject({ title: '1 workflow file valid' });
  });

  it('passes with a warning at each stage that relies on the default gate, which now waits for a person', async () => {
    const h = new AppHarness({}, {});
    const text = FEATURE.replace(
      '    gate: skip # the verdict decides; no one approves the review itself\n',
      '',
    );
    const [check] = await push(h, { '.github/flowgate/feature.yml': text });
    expect(check?.conclusion).toBe('success');
    const line = text.split('\n').indexOf('  - id: review') + 1;
    expect(check?.annotations).toEqual([
      expect.objectContaining({ start_line: line, annotation_level: 'warning' }),
    ]);
    expect(JSON.stringify(check?.annotations)).toContain("its output waits for a person's /approve");
  });

  it('sends more than 50 annotations 50 a request, as GitHub requires', async () => {
    const h = new AppHarness({}, {});
    const stages = Array.from(
      { length: 60 },
      (_, i) => `  - id: s${i}\n    mode: manual\n    gate: { approver: manul }\n    next: done`,
    );
    const many = `version: 1\nname: many\nstages:\n${stages.join('\n')}\n  - id: done\n    type: terminal\n`;
    const [check] = await push(h, { '.github/flowgate/many.yml': many });
    expect(check?.conclusion).toBe('failure');
    expect(check?.annotations.length).toBeGreaterThanOrEqual(60);
    const writes = h.github.log.filter((l) => /check-runs/.test(l) && !l.startsWith('GET'));
    expect(writes.length).toBe(1 + Math.ceil(((check?.annotations.length ?? 0) - 50) / 50));
  });
});

describe('a push that changes no workflow file', () => {
  it('gets no check run', async () => {
    const h = new AppHarness({}, {});
    expect(await push(h, { '.github/flowgate/feature.yml': BROKEN }, ['src/index.ts'])).toEqual([]);
  });
});

describe('a push whose workflow extends a file of another repository', () => {
  it('is checked without reading that repository, and says why', async () => {
    const h = new AppHarness({}, {});
    const text = FEATURE.replace(
      'version: 1\n',
      'version: 1\nextends: acme/private-repo/.github/flowgate/base.yml@main\n',
    );
    const [check] = await push(h, { '.github/flowgate/feature.yml': text });
    expect(check?.conclusion).toBe('failure');
    expect(check?.output).toMatchObject({
      summary: expect.stringContaining('checked without reading other repositories'),
    });
    expect(h.github.log.filter((l) => l.includes('private-repo'))).toEqual([]);
  });
});

/** A pull request event on #9, from a branch of this repository or from a fork, at HEAD, changing `files`. */
async function pullEvent(h: AppHarness, action: string, files: string[], fork: boolean) {
  h.github.pullFiles.set(
    9,
    files.map((filename) => ({ filename, status: 'modified', additions: 1, deletions: 1 })),
  );
  const payload = example('pull_request', action);
  payload.number = 9;
  payload.pull_request.number = 9;
  payload.pull_request.head.sha = HEAD;
  payload.pull_request.base.repo.name = 'widgets';
  payload.pull_request.base.repo.full_name = 'acme/widgets';
  payload.pull_request.base.repo.owner.login = 'acme';
  payload.pull_request.head.repo.full_name = fork ? 'mallory/widgets' : 'acme/widgets';
  payload.repository.name = 'widgets';
  payload.repository.full_name = 'acme/widgets';
  payload.repository.owner.login = 'acme';
  payload.installation = { id: 42, node_id: 'x' };
  await h.probot.receive({
    id: `pull-${action}-${Date.now()}`,
    name: 'pull_request',
    payload: payload as never,
  });
  return h.github.checkRuns.filter((c) => c.name === WORKFLOW_CHECK && c.head_sha === HEAD);
}

describe('a pull request, where the check can be required', () => {
  it('that changes no workflow file gets a passing check run at once, so a required check never waits', async () => {
    const h = new AppHarness({}, {});
    h.github.branches.set('feature', {
      head: HEAD,
      files: new Map([['.github/flowgate/feature.yml', BROKEN]]),
    });
    const [check, ...more] = await pullEvent(h, 'opened', ['src/index.ts'], false);
    expect(more).toEqual([]);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(check?.output).toMatchObject({ title: 'No workflow file changed' });
  });

  it('in a repository with no flowgate workflow gets no check run', async () => {
    const h = new AppHarness({}, {});
    h.github.branches.set('feature', { head: HEAD, files: new Map([['README.md', 'hello']]) });
    expect(await pullEvent(h, 'opened', ['src/index.ts'], false)).toEqual([]);
  });

  it('from a fork that breaks a workflow file gets a failing check run at its head', async () => {
    const h = new AppHarness({}, {});
    h.github.branches.set('fork-head', {
      head: HEAD,
      files: new Map([['.github/flowgate/feature.yml', BROKEN]]),
    });
    const [check] = await pullEvent(h, 'synchronize', ['.github/flowgate/feature.yml'], true);
    expect(check?.conclusion).toBe('failure');
  });

  it('within the repository that changes a workflow file is left to the check of its pushed head', async () => {
    const h = new AppHarness({}, {});
    expect(await pullEvent(h, 'synchronize', ['.github/flowgate/feature.yml'], false)).toEqual([]);
  });
});
