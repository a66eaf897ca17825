import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHead } from '../../src/agent/read-head.ts';
import { GitWorkspace, git } from '../agent/git-workspace.ts';
import { GitHttpServer } from '../support/git-http-server.ts';
import { ActionHarness, TOKEN } from './action-harness.ts';

const FAKE = new URL('../fixtures/agent/fake-agent.mjs', import.meta.url).pathname;

function flow(agentArgs: string): string {
  return `version: 1
name: feature
on: { labels: [flowgate:feature] }
providers:
  agent: { use: command, run: "'${process.execPath}' '${FAKE}' ${agentArgs}", max_iterations: 2, timeout_minutes: 1 }
stages:
  - id: implement
    mode: command
    provider: agent
    instructions: Implement "{{ subject.title }}" (#{{ subject.number }}).
    output: pull_request
    gate: manual
  - id: done
`;
}

let harness: ActionHarness | undefined;
let ws: GitWorkspace | undefined;
let gitServer: GitHttpServer | undefined;
afterEach(async () => {
  await harness?.close();
  await gitServer?.stop();
  ws?.remove();
  harness = undefined;
  gitServer = undefined;
  ws = undefined;
});

/** The app on issue #7, a checkout of `acme/widgets` as actions/checkout leaves it, and its remote over HTTP. */
async function started(agentArgs: string) {
  ws = new GitWorkspace();
  const root = join(ws.dir, 'served');
  mkdirSync(join(root, 'acme'), { recursive: true });
  symlinkSync(ws.origin, join(root, 'acme', 'widgets.git'));
  gitServer = new GitHttpServer(root, TOKEN);
  const serverUrl = await gitServer.start();
  harness = await ActionHarness.start(
    { '.github/flowgate/feature.yml': flow(agentArgs) },
    { bob: 'maintain' },
  );
  const h = harness;
  const checkout = ws;
  h.github.branchHead = (ref) => checkout.remoteHead(ref);
  h.app.newIssue(7, 'alice', 'Add a --dry-run flag');
  await h.app.deliver('issues', 'labeled', 7, (p) => {
    p.label = { name: 'flowgate:feature' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  const env = {
    GITHUB_WORKSPACE: ws.work,
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: await readHead(ws.work),
    GITHUB_SERVER_URL: serverUrl,
  };
  return { h, ws: checkout, env };
}

describe('a code stage', () => {
  it('runs the agent in the checkout, pushes its change and reports the pull request it opened', async () => {
    const { h, ws, env } = await started(
      "--done-after 1 --edit 'sync.js=export function sync({ dryRun }) {}' --usage 'tokens_in=52000 tokens_out=7400 cost_usd=0.268'",
    );
    expect(h.lastDispatch()).toMatchObject({ stage: 'implement', step: 'response' });
    const result = await h.step(7, env);

    const head = ws.remoteHead('flowgate/7-implement');
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    expect(git(ws.origin, 'show', `${head}:sync.js`)).toBe('export function sync({ dryRun }) {}');
    const [response] = h.parsedOutputs(7);
    expect(response?.output).toMatchObject({
      kind: 'response',
      stage: 'implement',
      pull_number: 8,
      head_sha: head,
      // What the agent reported with its `flowgate: usage` line.
      usage: { tokens_in: 52000, tokens_out: 7400, cost_usd: 0.268 },
    });
    expect(response?.visible).toBe(
      'Opened #8 (`flowgate/7-implement`, 2 files changed): https://github.com/acme/widgets/pull/8',
    );
    expect(h.github.pulls.get(8)).toMatchObject({ headRef: 'flowgate/7-implement', base: 'main' });
    // The agent's output reached the log with workflow commands off.
    expect(result.stdout).toMatch(/::stop-commands::([0-9a-f-]{36})\n[\s\S]*\n::\1::\n/);
    const state = h.app.state(7);
    expect(state.stages.implement?.output).toMatchObject({ sha256: head, pointer: { pull_number: 8 } });
    expect(state.wait).toMatchObject({ for: 'approval', step: 'response' });
    expect(state.usage).toEqual({ tokens_in: 52000, tokens_out: 7400, cost_usd: 0.268 });
  });

  it("fails with the agent's own words when it fails, and pushes nothing", async () => {
    const { h, ws, env } = await started('--fail');
    const result = await h.run(env);
    expect(result.code).toBe(1);
    expect(ws.remoteHead('flowgate/7-implement')).toBeUndefined();
    const [failure] = h.parsedOutputs(7);
    expect(failure?.output.kind).toBe('failure');
    expect(failure?.output.kind === 'failure' && failure.output.error).toMatch(
      /^the agent failed with exit status 1 /,
    );
  });
});

describe('a run on a pull request from a fork', () => {
  it("never checks out the fork's code: the step is dispatched on the default branch, and the agent works there", async () => {
    const { h, ws, env } = await started(
      "--done-after 1 --edit 'sync.js=export function sync({ dryRun }) {}'",
    );
    const forkHead = 'f'.repeat(40);
    h.app.newIssue(12, 'mallory', 'Add a --dry-run flag', true);
    const pull = h.github.pulls.get(12);
    if (pull === undefined) throw new Error('no pull request');
    pull.head = forkHead;
    const main = ws.remoteHead('main');
    await h.app.deliver('pull_request', 'labeled', 12, (p) => {
      p.label = { name: 'flowgate:feature' };
      p.pull_request.head.sha = forkHead;
      p.pull_request.head.repo = { ...p.pull_request.head.repo, full_name: 'mallory/widgets', fork: true };
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    const dispatch = h.github.dispatches.at(-1);
    expect(dispatch).toMatchObject({ ref: 'main', inputs: { subject: '12', stage: 'implement' } });

    const result = await h.step(12, env);
    expect(result.stdout).not.toContain('runs as on code from a fork');
    const head = ws.remoteHead('flowgate/12-implement');
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    // The agent's commit is on the default branch's head: the fork's commit was never fetched or checked out.
    expect(git(ws.origin, 'rev-parse', `${head}^`)).toBe(main);
    expect(() => git(ws.origin, 'cat-file', '-e', forkHead)).toThrow();
    expect(h.parsedOutputs(12)[0]?.output).toMatchObject({ kind: 'response', stage: 'implement' });
  });
});
