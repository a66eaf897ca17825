import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import { example } from '../support/app-harness.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { ModelServer } from '../support/model-server.ts';
import { type BundledRun, runBundledAction } from '../support/run-bundled-action.ts';
import { serveStandIn } from '../support/serve-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY, STATE_PUBLIC_KEY } from '../support/state-keys.ts';
import { TOKEN } from './action-harness.ts';
import { modelEnv } from './model-fixture.ts';

const SHIFTED_CLOCK = new URL('../support/shifted-clock.ts', import.meta.url).pathname;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The timers tick of the example workflow: a cron line no workflow's `on.schedule` holds. */
const TICK = '*/15 * * * *';

/** draft (a model, then an hour's delay) -> publish (a model) -> done, which archives the issue a day later. */
const COOLDOWN = `version: 1
name: cooldown
on:
  labels: [flowgate:cooldown]
  subject: issue
providers:
  writer: openai/gpt-5-mini
defaults:
  gate: skip
stages:
  - id: draft
    provider: writer
    instructions: "Draft a note on {{ subject.title }}."
    delay: 1h
  - id: publish
    provider: writer
    instructions: "Publish this note: {{ outputs.draft }}"
  - id: done
    type: terminal
    archive: 1
`;

/** A sweep's workflow: its cron line is a sweep's, not the timers tick. */
const DIGEST = `version: 1
name: digest
on:
  command: digest
  subject: issue
  schedule:
    cron: "0 2 * * *"
    select: { type: issues, labels: digest }
providers:
  writer: openai/gpt-5-mini
stages:
  - id: summary
    provider: writer
    instructions: "Summarise {{ subject.title }}."
  - id: finished
    type: terminal
`;

const WRITES = /^(POST|PATCH|PUT|DELETE) /;

/**
 * GitHub (a stand-in over HTTP, its clock `offset` ahead of the real one), a model server, and the bundled Action
 * as a runner starts it for an `issues` event or a `schedule` event, its clock shifted as GitHub's. Every GitHub
 * request is counted as `METHOD route`, numbers written `{n}`.
 */
class Rig {
  readonly calls: string[] = [];
  offset = 0;
  #run = 100;
  apiUrl = '';
  readonly github = new GitHubStandIn('acme', 'widgets', () =>
    new Date(Date.now() + this.offset).toISOString(),
  );
  readonly models: ModelServer;

  constructor(models: ModelServer) {
    this.models = models;
  }

  /** A job of the bundled Action on event `name`, with the example's `with:` inputs (`timers: true`) by default. */
  job(
    name: string,
    payload: unknown,
    inputs: Record<string, string> = { timers: 'true' },
    signal?: AbortSignal,
  ): Promise<BundledRun> {
    const clock: Record<string, string> =
      this.offset === 0
        ? {}
        : { NODE_OPTIONS: `--import ${SHIFTED_CLOCK}`, TEST_CLOCK_OFFSET_MS: String(this.offset) };
    return runBundledAction({
      apiUrl: this.apiUrl,
      event: payload,
      env: {
        ...modelEnv(this.models),
        FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY,
        GITHUB_EVENT_NAME: name,
        GITHUB_RUN_ID: String(++this.#run),
        GITHUB_RUN_ATTEMPT: '1',
        ...clock,
      },
      with: { 'github-token': TOKEN, ...inputs },
      timeoutMs: 60_000,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /** bob labels the issue: the run starts, and the draft is written in the same job (unless `signal` kills it). */
  label(number: number, label: string, signal?: AbortSignal): Promise<BundledRun> {
    const issue = this.github.issues.get(number);
    issue?.labels.push(label);
    const payload = example('issues', 'labeled');
    payload.repository.name = 'widgets';
    payload.repository.owner.login = 'acme';
    payload.repository.full_name = 'acme/widgets';
    payload.repository.default_branch = 'main';
    if (payload.issue !== undefined && issue !== undefined) {
      payload.issue.number = number;
      payload.issue.title = issue.title;
      payload.issue.user.login = issue.author;
      payload.issue.labels = issue.labels.map((name) => ({ name }));
    }
    payload.label = { name: label };
    payload.sender.login = 'bob';
    payload.sender.type = 'User';
    return this.job('issues', payload, undefined, signal);
  }

  /** A `schedule` event with cron line `cron`, as GitHub sends it; the GitHub requests it made. */
  async tick(cron = TICK, inputs?: Record<string, string>): Promise<{ run: BundledRun; calls: string[] }> {
    const from = this.calls.length;
    const event = {
      schedule: cron,
      repository: { name: 'widgets', owner: { login: 'acme' }, default_branch: 'main' },
    };
    const run = await this.job('schedule', event, inputs);
    return { run, calls: this.calls.slice(from) };
  }

  state(number: number): RunState {
    const status = this.github.comments.find(
      (c) => c.issue === number && c.body.includes('<!-- flowgate:status run='),
    );
    if (status === undefined) throw new Error(`no status comment on #${number}`);
    const decoded = decodeStateBlock(status.body, STATE_PUBLIC_KEY, { id: REPO_ID, number });
    if (!decoded.ok) throw new Error(decoded.message);
    return decoded.state;
  }

  /** The comments on `number`, as `login: first line`, for comparing before and after a tick. */
  snapshot(): string {
    return JSON.stringify({
      comments: this.github.comments.map((c) => [c.id, c.issue, c.body]),
      issues: [...this.github.issues.entries()],
    });
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * #7 (alice's) gets the cooldown run: its draft is written and it waits an hour. #8 has no label, #9 a label no run
 * sets, #10 the label of a completed run with no archive: none of them is read by a tick.
 */
async function delayed(): Promise<Rig> {
  const models = await ModelServer.start();
  cleanups.push(() => models.close());
  const rig = new Rig(models);
  const { github } = rig;
  github.tokenLogins.set(TOKEN, 'github-actions[bot]');
  github.files.set('.github/flowgate/cooldown.yml', COOLDOWN);
  github.files.set('.github/flowgate/digest.yml', DIGEST);
  github.permissions.set('bob', 'maintain');
  github.issues.set(7, {
    title: 'The release notes',
    author: 'alice',
    labels: [],
    state: 'open',
    pull: false,
  });
  github.issues.set(8, { title: 'Unrelated', author: 'alice', labels: [], state: 'open', pull: false });
  github.issues.set(9, { title: 'A bug', author: 'alice', labels: ['bug'], state: 'open', pull: false });
  // A completed digest run left its terminal stage's label: nothing is due for it (no archive), so it is not read.
  github.issues.set(10, {
    title: 'Last week',
    author: 'alice',
    labels: ['digest', 'flowgate: finished'],
    state: 'open',
    pull: false,
  });
  const served = await serveStandIn(github, (method, path) =>
    rig.calls.push(`${method} ${path.replace(/\/\d+(?=\/|$)/g, '/{n}')}`),
  );
  cleanups.push(served.close);
  rig.apiUrl = served.url;
  models.enqueue({ text: 'A draft of the notes.', usage: { input: 100, output: 20 } });
  const run = await rig.label(7, 'flowgate:cooldown');
  expect(run.code, run.stdout).toBe(0);
  expect(rig.state(7)).toMatchObject({
    stage: 'draft',
    status: 'running',
    wait: { for: 'delay', to: 'publish' },
  });
  expect(github.issues.get(7)?.labels).toContain('flowgate: draft');
  return rig;
}

// Each test starts several jobs of the bundled Action, one after the other.
describe('the timers tick of the Action alone (a schedule no sweep holds)', { timeout: 120_000 }, () => {
  it('leaves a run whose delay is not over alone, reading only the labelled issue, writing nothing', async () => {
    const rig = await delayed();
    rig.offset = 30 * MINUTE;
    const before = rig.snapshot();
    const { run, calls } = await rig.tick();
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe('idle');
    expect(run.summary).toContain(
      'Timers: 4 open issues and pull requests, 1 with a label of a run that may have a due time, 0 due.',
    );
    expect(rig.snapshot()).toBe(before);
    expect(calls.filter((c) => WRITES.test(c))).toEqual([]);
    // The workflow files (the directory and its two files), the open issues, and the comments of #7 only.
    expect(calls.filter((c) => c.includes('/issues'))).toEqual([
      'GET /repos/acme/widgets/issues',
      'GET /repos/acme/widgets/issues/{n}/comments',
    ]);
    expect(calls).toHaveLength(5);
    expect(rig.models.requests).toHaveLength(1);
  });

  it('moves the run on once its delay is over, running the next stage in the job; a second tick changes nothing', async () => {
    const rig = await delayed();
    rig.offset = 61 * MINUTE;
    rig.models.enqueue({ text: 'The notes, published.', usage: { input: 100, output: 20 } });
    const { run } = await rig.tick();
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe('posted');
    expect(run.summary).toContain('1 due (#7)');
    expect(run.summary).toContain('Ran #7: `publish` (response, attempt 1): posted the response');
    const state = rig.state(7);
    expect(state).toMatchObject({ status: 'completed', stage: 'done' });
    expect(state.history.map((h) => h.what)).toContain('draft -> publish');
    expect(state.history.find((h) => h.what === 'draft -> publish')?.reason).toBe('delay over');
    expect(rig.models.requests).toHaveLength(2);
    expect(rig.github.issues.get(7)?.labels).not.toContain('flowgate: draft');

    // The same time again (a second tick, or the same one run twice): nothing is due, nothing is written.
    const before = rig.snapshot();
    const again = await rig.tick();
    expect(again.run.code, again.run.stdout).toBe(0);
    expect(again.run.outputs.outcome).toBe('idle');
    expect(rig.snapshot()).toBe(before);
    expect(again.calls.filter((c) => WRITES.test(c))).toEqual([]);
    expect(rig.state(7).rev).toBe(state.rev);
    expect(rig.models.requests).toHaveLength(2);
  });

  it('closes the issue once the archive day has come, once', async () => {
    const rig = await delayed();
    rig.offset = 61 * MINUTE;
    rig.models.enqueue({ text: 'The notes, published.', usage: { input: 100, output: 20 } });
    expect((await rig.tick()).run.code).toBe(0);
    expect(rig.github.issues.get(7)?.labels).toContain('flowgate: done');

    rig.offset += DAY - 30 * MINUTE;
    const early = await rig.tick();
    expect(early.run.summary).toContain('0 due.');
    expect(rig.github.issues.get(7)?.state).toBe('open');

    rig.offset += 31 * MINUTE;
    const due = await rig.tick();
    expect(due.run.code, due.run.stdout).toBe(0);
    expect(due.run.summary).toContain('1 due (#7)');
    expect(rig.github.issues.get(7)?.state).toBe('closed');
    const replies = rig.github.comments.filter(
      (c) => c.issue === 7 && c.body.includes('flowgate:reply archive:'),
    );
    expect(replies).toHaveLength(1);

    const after = rig.snapshot();
    const again = await rig.tick();
    expect(again.run.summary).toContain('Timers: 3 open issues and pull requests, 0 with a label');
    expect(rig.snapshot()).toBe(after);
  });

  it('fires no timer from a state that does not verify (a hand-edited status comment costs one read)', async () => {
    const rig = await delayed();
    const status = rig.github.comments.find((c) => c.issue === 7 && c.body.includes('<!-- flowgate:status'));
    if (status === undefined) throw new Error('no status comment');
    // Someone with write access edits the status comment by hand: its state no longer verifies.
    const signed = status.body;
    status.body = signed.replace('"delay"', '"delaY"');
    expect(status.body).not.toBe(signed);
    rig.offset = 61 * MINUTE;
    const before = rig.snapshot();
    const { run, calls } = await rig.tick();
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/flowgate: #7: run \S+: /);
    expect(run.summary).toContain('0 due.');
    expect(calls.filter((c) => WRITES.test(c))).toEqual([]);
    expect(rig.snapshot()).toBe(before);
  });

  it("fails the stage whose job died mid-step once the step's deadline has passed, once", async () => {
    const models = await ModelServer.start();
    cleanups.push(() => models.close());
    const rig = new Rig(models);
    rig.github.tokenLogins.set(TOKEN, 'github-actions[bot]');
    rig.github.files.set('.github/flowgate/cooldown.yml', COOLDOWN);
    rig.github.permissions.set('bob', 'maintain');
    rig.github.issues.set(7, { title: 'The notes', author: 'alice', labels: [], state: 'open', pull: false });
    const served = await serveStandIn(rig.github);
    cleanups.push(served.close);
    rig.apiUrl = served.url;
    // The runner is lost while the model writes the draft: the job dies (SIGKILL) with the step asked for.
    const lost = new AbortController();
    models.onRequest = () => lost.abort();
    const died = await rig.label(7, 'flowgate:cooldown', lost.signal);
    expect(died.code).toBeNull();
    models.onRequest = undefined;
    const waiting = rig.state(7);
    expect(waiting).toMatchObject({
      status: 'running',
      stage: 'draft',
      wait: { for: 'action', step: 'response' },
    });
    const deadline = waiting.wait?.for === 'action' ? Date.parse(waiting.wait.deadline) : 0;

    // Before the deadline (the default `timeout_minutes`, 120) nothing is due.
    rig.offset = deadline - Date.now() - 5 * MINUTE;
    expect((await rig.tick()).run.summary).toContain('0 due.');
    expect(rig.state(7).status).toBe('running');

    rig.offset = deadline - Date.now() + 5 * MINUTE;
    const { run } = await rig.tick();
    expect(run.code, run.stdout).toBe(0);
    expect(run.summary).toContain('1 due (#7)');
    const failed = rig.state(7);
    expect(failed.status).toBe('failed');
    expect(failed.last_error).toMatch(/^stage "draft" timed out: no response arrived by /);
    expect(models.requests).toHaveLength(1);

    const before = rig.snapshot();
    const again = await rig.tick();
    expect(again.run.summary).toContain('0 due.');
    expect(rig.snapshot()).toBe(before);
  });

  it('goes on with the other subjects when one cannot be read, and fails the job at the end', async () => {
    const rig = await delayed();
    // #5 carries a run's label, and GitHub fails on its comments.
    rig.github.issues.set(5, {
      title: 'Old notes',
      author: 'alice',
      labels: ['flowgate: draft'],
      state: 'open',
      pull: false,
    });
    const handle = rig.github.handle.bind(rig.github);
    rig.github.handle = (request) =>
      request.method === 'GET' && request.path === '/repos/acme/widgets/issues/5/comments'
        ? { status: 502, body: { message: 'Server Error' } }
        : handle(request);
    rig.offset = 61 * MINUTE;
    rig.models.enqueue({ text: 'The notes, published.', usage: { input: 100, output: 20 } });
    const { run } = await rig.tick();
    expect(run.code).toBe(1);
    expect(run.outputs.outcome).toBe('failed');
    expect(run.summary).toContain('#5: the timers could not be fired: ');
    expect(run.summary).toContain('1 due (#7)');
    expect(rig.state(7)).toMatchObject({ status: 'completed', stage: 'done' });
  });

  it('fires no timer without `timers: true` (a sweep job beside the app, say): the line sweeps nothing', async () => {
    const rig = await delayed();
    rig.offset = 61 * MINUTE;
    const before = rig.snapshot();
    const { run, calls } = await rig.tick(TICK, {});
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toContain('firing the due timers');
    expect(calls.filter((c) => c.includes('/issues'))).toEqual([]);
    expect(rig.snapshot()).toBe(before);
    expect(rig.state(7)).toMatchObject({ stage: 'draft', wait: { for: 'delay' } });
  });

  it('refuses a `timers` input that is neither true nor false', async () => {
    const rig = await delayed();
    const { run } = await rig.tick(TICK, { timers: 'yes' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the input "timers" must be true or false, not "yes"');
  });

  it('sweeps, and fires no timer, on a cron line a workflow’s on.schedule holds', async () => {
    const rig = await delayed();
    rig.offset = 61 * MINUTE;
    const { run } = await rig.tick('0 2 * * *');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toContain('firing the due timers');
    expect(rig.state(7)).toMatchObject({ stage: 'draft', wait: { for: 'delay' } });
  });
});
