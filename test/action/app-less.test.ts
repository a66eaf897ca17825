import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readHead } from '../../src/agent/read-head.ts';
import { formatActionOutput } from '../../src/core/action-output.ts';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import { labelNodeId } from '../../src/memory-github/memory-github.ts';
import { GitWorkspace } from '../agent/git-workspace.ts';
import { evaluateActionsExpression } from '../support/actions-expression.ts';
import { example, type Payload, readExample } from '../support/app-harness.ts';
import { GitHttpServer } from '../support/git-http-server.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { ModelServer } from '../support/model-server.ts';
import { type BundledRun, runBundledAction } from '../support/run-bundled-action.ts';
import { serveStandIn } from '../support/serve-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY, STATE_PUBLIC_KEY } from '../support/state-keys.ts';
import { TOKEN } from './action-harness.ts';
import { modelEnv } from './model-fixture.ts';

const FAKE = new URL('../fixtures/agent/fake-agent.mjs', import.meta.url).pathname;
const PLAN = '## Plan\n\n1. Add the flag.\n2. Test it.';

/** The plan-implement-review-revise example, its agent a scripted stand-in that edits one file. */
function featureWorkflow(): string {
  const text = readExample('plan-implement-review-revise.yml');
  const agent = `"'${process.execPath}' '${FAKE}' --done-after 1 --edit 'sync.js=export function sync({ dryRun }) {}'"`;
  const replaced = text.replace('"codex exec --json -"', agent);
  expect(replaced).not.toBe(text);
  return replaced;
}

/**
 * GitHub (a stand-in over HTTP), a model server, a checkout with its remote, and no app: every event is one
 * process of the bundled Action, started as a runner starts it for `issues` or `issue_comment`.
 */
class AppLess {
  #run = 100;
  readonly github: GitHubStandIn;
  readonly apiUrl: string;
  readonly models: ModelServer;
  readonly env: Record<string, string>;

  constructor(github: GitHubStandIn, apiUrl: string, models: ModelServer, env: Record<string, string>) {
    this.github = github;
    this.apiUrl = apiUrl;
    this.models = models;
    this.env = env;
  }

  /** One event, delivered as a job: the bundled Action with GITHUB_EVENT_NAME and the payload. */
  async deliver(
    name: string,
    action: string,
    number: number,
    edit: (p: Payload) => void,
    signal?: AbortSignal,
  ): Promise<BundledRun> {
    const payload = example(name, action);
    payload.repository.name = 'widgets';
    payload.repository.owner.login = 'acme';
    payload.repository.full_name = 'acme/widgets';
    payload.repository.default_branch = 'main';
    const issue = this.github.issues.get(number);
    const target = payload.issue ?? payload.pull_request;
    if (target !== undefined && issue !== undefined) {
      target.number = number;
      target.title = issue.title;
      target.user.login = issue.author;
      target.state = issue.state;
      target.node_id = `I_${number}`;
      target.labels = issue.labels.map((label) => ({ name: label, node_id: labelNodeId(label) }));
    }
    edit(payload);
    return this.run(name, payload, signal);
  }

  /** The bundled Action on `payload`, as a job of the event `name`. */
  run(name: string, payload: unknown, signal?: AbortSignal): Promise<BundledRun> {
    return runBundledAction({
      ...(signal === undefined ? {} : { signal }),
      apiUrl: this.apiUrl,
      event: payload,
      env: {
        ...this.env,
        ...modelEnv(this.models),
        FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY,
        GITHUB_EVENT_NAME: name,
        GITHUB_RUN_ID: String(++this.#run),
        GITHUB_RUN_ATTEMPT: '1',
      },
      with: { 'github-token': TOKEN },
    });
  }

  label(number: number, by: string, label: string) {
    this.github.issues.get(number)?.labels.push(label);
    return this.deliver('issues', 'labeled', number, (p) => {
      p.label = { name: label };
      p.sender.login = by;
      p.sender.type = 'User';
    });
  }

  /** A person comments; its job runs unless `dropped` (the comment is there, its event never ran). */
  async comment(
    number: number,
    login: string,
    body: string,
    options: { dropped?: boolean; signal?: AbortSignal } = {},
  ) {
    const comment = this.github.addComment(number, login, body);
    if (options.dropped === true) return undefined;
    return this.deliver(
      'issue_comment',
      'created',
      number,
      (p) => {
        p.comment.id = comment.id;
        p.comment.body = body;
        p.comment.user.login = login;
        p.comment.user.type = 'User';
        p.sender.login = login;
        p.sender.type = 'User';
      },
      options.signal,
    );
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

  /** flowgate's replies on `number`, without their markers. */
  replies(number: number): string[] {
    return this.github.comments
      .filter((c) => c.issue === number && c.body.includes('<!-- flowgate:reply '))
      .map((c) => c.body.replace(/(\n*<!-- flowgate:(reply|handled) [^>]* -->)+\s*$/, ''));
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Issue #7 by alice, bob a maintainer, carol a writer; the feature workflow on the default branch. */
async function started(): Promise<AppLess> {
  const ws = new GitWorkspace();
  cleanups.push(() => ws.remove());
  const root = join(ws.dir, 'served');
  mkdirSync(join(root, 'acme'), { recursive: true });
  symlinkSync(ws.origin, join(root, 'acme', 'widgets.git'));
  const gitServer = new GitHttpServer(root, TOKEN);
  const serverUrl = await gitServer.start();
  cleanups.push(() => gitServer.stop());
  const models = await ModelServer.start();
  cleanups.push(() => models.close());
  // The Action's clock is the real one (the run's start time): GitHub's must be too.
  const github = new GitHubStandIn('acme', 'widgets', () => new Date().toISOString());
  github.tokenLogins.set(TOKEN, 'github-actions[bot]');
  github.files.set('.github/flowgate/feature.yml', featureWorkflow());
  github.permissions.set('bob', 'maintain');
  github.permissions.set('carol', 'write');
  github.branchHead = (ref) => ws.remoteHead(ref);
  github.issues.set(7, {
    title: 'Add a --dry-run flag',
    author: 'alice',
    labels: [],
    state: 'open',
    pull: false,
  });
  const served = await serveStandIn(github);
  cleanups.push(served.close);
  return new AppLess(github, served.url, models, {
    GITHUB_WORKSPACE: ws.work,
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: await readHead(ws.work),
    GITHUB_SERVER_URL: serverUrl,
  });
}

/** The label's job: the plan, written by the model, waiting for a maintainer. */
async function planned(): Promise<AppLess> {
  const h = await started();
  h.models.enqueue({ text: PLAN, usage: { input: 1200, output: 300 } });
  const run = await h.label(7, 'bob', 'flowgate:feature');
  expect(run.code, run.stdout).toBe(0);
  return h;
}

/** A workflow a run may start at either of two manual entry stages. */
const BUG = readFileSync(new URL('../fixtures/two-entry-stages.yml', import.meta.url), 'utf8');

describe('the Action alone, starting at an entry stage', () => {
  it('starts at the stage `/flowgate start <workflow> --at <stage>` names, and refuses one that is no entry', async () => {
    const h = await started();
    h.github.files.set('.github/flowgate/bug.yml', BUG);
    const refused = await h.comment(7, 'bob', '/flowgate start bug --at done');
    expect(refused?.code, refused?.stdout).toBe(0);
    expect(h.replies(7).at(-1)).toBe(
      '`bug` cannot start at `done`: it is not an entry stage. A run of `bug` can start at `triage`, `fix` (`type: entry`).',
    );
    const run = await h.comment(7, 'bob', '/flowgate start bug --at fix');
    expect(run?.code, run?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ workflow: 'bug', stage: 'fix', status: 'awaiting_approval' });
  });

  it("starts at an entry stage when a person adds that stage's label", async () => {
    const h = await started();
    h.github.files.set('.github/flowgate/bug.yml', BUG);
    const run = await h.label(7, 'bob', 'flowgate: fix');
    expect(run.code, run.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ workflow: 'bug', stage: 'fix', status: 'awaiting_approval' });
  });
});

/** A workflow file that writes no gate: its plan waits for a person's /approve (the default gate). */
const UNGATED = `version: 1
name: ungated
on: { labels: [flowgate:ungated] }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5, timeout_seconds: 5 }
stages:
  - id: plan
    provider: writer
    instructions: Plan "{{ subject.title }}".
  - id: done
`;

describe('the Action alone, a workflow that writes no gate', () => {
  it("holds the model's output for a person's /approve, then completes", async () => {
    const h = await started();
    h.github.files.set('.github/flowgate/ungated.yml', UNGATED);
    h.models.enqueue({ text: PLAN });
    const run = await h.label(7, 'bob', 'flowgate:ungated');
    expect(run.code, run.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({
      workflow: 'ungated',
      stage: 'plan',
      status: 'awaiting_approval',
      wait: { for: 'approval', step: 'response' },
    });
    const approved = await h.comment(7, 'carol', '/approve');
    expect(approved?.code, approved?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'done', status: 'completed' });
  });
});

/** `plan` leaves for `build` once the issue is labelled "ready" and not "blocked"; no fallback. */
const SHIP = readFileSync(new URL('../fixtures/condition-wait.yml', import.meta.url), 'utf8');

describe('the Action alone, a run waiting for a transition condition', () => {
  async function waiting(): Promise<AppLess> {
    const h = await started();
    h.github.files.set('.github/flowgate/ship.yml', SHIP);
    h.models.enqueue({ text: PLAN });
    const run = await h.label(7, 'bob', 'flowgate:ship');
    expect(run.code, run.stdout).toBe(0);
    return h;
  }

  it('waits after the plan, and the status comment names the conditions', async () => {
    const h = await waiting();
    expect(h.state(7)).toMatchObject({
      workflow: 'ship',
      stage: 'plan',
      status: 'running',
      wait: { for: 'condition' },
    });
    const status = h.github.comments.find((c) => c.body.includes('<!-- flowgate:status run='));
    expect(status?.body).toContain('Waiting in plan for a condition: "ready" in labels');
    expect(h.github.issues.get(7)?.labels).toContain('flowgate: plan');
  });

  it('moves on in the job of a label a person adds later, and runs the next stage there', async () => {
    const h = await waiting();
    const unrelated = await h.label(7, 'carol', 'documentation');
    expect(unrelated.code, unrelated.stdout).toBe(0);
    expect(h.state(7).stage).toBe('plan');
    h.models.enqueue({ text: 'Built it.' });
    const run = await h.label(7, 'carol', 'ready');
    expect(run.code, run.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'done', status: 'completed' });
    expect(h.models.requests).toHaveLength(2);
  });

  it('moves on in the job of a label a person removes', async () => {
    const h = await waiting();
    await h.label(7, 'carol', 'blocked');
    await h.label(7, 'carol', 'ready');
    expect(h.state(7).stage).toBe('plan');
    const labels = h.github.issues.get(7)?.labels ?? [];
    labels.splice(labels.indexOf('blocked'), 1);
    h.models.enqueue({ text: 'Built it.' });
    const run = await h.deliver('issues', 'unlabeled', 7, (p) => {
      p.label = { name: 'blocked' };
      p.sender.login = 'carol';
      p.sender.type = 'User';
    });
    expect(run.code, run.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'done', status: 'completed' });
  });
});

describe('the Action alone', () => {
  it('starts the run on the label and writes the plan in the same job, then waits for approval', async () => {
    const h = await planned();
    expect(h.models.requests).toHaveLength(1);
    const state = h.state(7);
    expect(state).toMatchObject({
      status: 'awaiting_approval',
      stage: 'plan',
      wait: { for: 'approval', step: 'response' },
    });
    expect(state.stages.plan?.output).toBeDefined();
    const outputs = h.github.comments.filter((c) => c.body.includes('flowgate:output'));
    expect(outputs.map((c) => c.login)).toEqual(['github-actions[bot]']);
    expect(outputs[0]?.body).toContain(PLAN);
    expect(h.github.dispatches).toEqual([]);
  });

  it('on /approve runs the implement stage in the same job, opening its pull request, until the review gate', async () => {
    const h = await planned();
    const run = await h.comment(7, 'bob', '/approve');
    expect(run?.code, run?.stdout).toBe(0);
    expect(run?.outputs.outcome).toBe('posted');
    expect(run?.summary).toContain('Ran `implement` (response, attempt 1): posted the response');
    expect(h.github.pulls.get(8)).toMatchObject({ headRef: 'flowgate/7-implement', base: 'main' });
    expect(h.state(7)).toMatchObject({
      status: 'awaiting_approval',
      stage: 'implement',
      stages: { plan: { approvals: [{ by: 'bob' }] } },
    });
    expect(h.github.dispatches).toEqual([]);
    expect(h.github.issues.get(7)?.labels).toEqual([
      'flowgate:feature',
      'flowgate: implement',
      'flowgate: awaiting approval',
    ]);
  });

  it('on /approve edits the status comment and moves the labels in one request, as the app does', async () => {
    const h = await planned();
    const from = h.github.log.length;
    await h.comment(7, 'bob', '/approve');
    const sent = h.github.log.slice(from);
    // The move to implement (plan and awaiting approval off, implement on) with the status edit, in one mutation;
    // the labels are not set through REST.
    expect(sent.filter((l) => l === 'POST /graphql mutation').length).toBeGreaterThan(0);
    expect(sent.filter((l) => /^(PUT|DELETE) \/repos\/acme\/widgets\/issues\/7\/labels/.test(l))).toEqual([]);
    expect(h.github.issues.get(7)?.labels).toEqual([
      'flowgate:feature',
      'flowgate: implement',
      'flowgate: awaiting approval',
    ]);
  });

  it('on /retry with feedback writes the plan again in the same job, as attempt 2', async () => {
    const h = await planned();
    h.models.enqueue({ text: `${PLAN}\n3. Document it.` });
    const run = await h.comment(7, 'bob', '/retry Say where it is documented.');
    expect(run?.code, run?.stdout).toBe(0);
    expect(h.models.requests).toHaveLength(2);
    expect(JSON.stringify(h.models.requests[1]?.body)).toContain('Say where it is documented.');
    expect(h.state(7)).toMatchObject({
      status: 'awaiting_approval',
      stage: 'plan',
      stages: { plan: { attempt: 2 } },
    });
  });

  it('on /reject pauses the run with the reason, and runs nothing', async () => {
    const h = await planned();
    const run = await h.comment(7, 'bob', '/reject "Out of scope"');
    expect(run?.code, run?.stdout).toBe(0);
    expect(run?.outputs.outcome).toBe('idle');
    expect(h.state(7)).toMatchObject({ status: 'paused' });
    expect(h.state(7).resume?.reason).toBe('the response of "plan" was rejected by @bob: Out of scope');
    expect(h.models.requests).toHaveLength(1);
  });

  it('picks up a command whose job never ran with the next event on the subject', async () => {
    const h = await planned();
    await h.comment(7, 'bob', '/approve', { dropped: true });
    expect(h.state(7)).toMatchObject({ stage: 'plan' });
    const run = await h.comment(7, 'alice', 'Thanks, looking forward to it.');
    expect(run?.code, run?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'awaiting_approval' });
    expect(h.github.pulls.get(8)).toBeDefined();
  });

  it('on a workflow_dispatch naming only the subject, looks at it now and goes on', async () => {
    const h = await planned();
    await h.comment(7, 'bob', '/approve', { dropped: true });
    const run = await h.run('workflow_dispatch', {
      inputs: { subject: '7' },
      ref: 'refs/heads/main',
      repository: { name: 'widgets', owner: { login: 'acme' }, default_branch: 'main' },
      sender: { login: 'bob', type: 'User' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('flowgate: issue #7, on timer');
    expect(h.state(7)).toMatchObject({ stage: 'implement', status: 'awaiting_approval' });
  });

  it('refuses a start-permission that is no permission, and fails the step', async () => {
    const h = await started();
    const bad = await runBundledAction({
      apiUrl: h.apiUrl,
      event: { inputs: { subject: '7' }, repository: { name: 'widgets', owner: { login: 'acme' } } },
      env: { FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY },
      with: { 'github-token': TOKEN, 'start-permission': 'owner' },
    });
    expect(bad.code).toBe(1);
    expect(bad.outputs.outcome).toBe('failed');
    expect(bad.stdout).toContain(
      '::error::flowgate cannot start: the input "start-permission" must be one of read, triage, write, maintain, admin, not "owner"',
    );
  });

  it("refuses a writer's /approve on a gate that needs maintain, with a reply", async () => {
    const h = await planned();
    const run = await h.comment(7, 'carol', '/approve');
    expect(run?.code, run?.stdout).toBe(0);
    expect(h.replies(7).at(-1)).toBe(
      '@carol cannot approve: approving needs maintain permission on this repository, and @carol has write. Who may approve: anyone with maintain permission.',
    );
    expect(h.state(7)).toMatchObject({ status: 'awaiting_approval', stage: 'plan' });
  });

  it('ignores the events of bots, and runs nothing for them', async () => {
    const h = await planned();
    const before = h.github.comments.length;
    const run = await h.deliver('issue_comment', 'created', 7, (p) => {
      p.comment.body = '/approve';
      p.sender.login = 'dependabot[bot]';
      p.sender.type = 'Bot';
    });
    expect(run.code).toBe(0);
    expect(run.outputs.outcome).toBe('idle');
    expect(run.summary).toContain('Nothing to do: the event was sent by a bot (dependabot[bot])');
    expect(h.github.comments).toHaveLength(before);
  });

  it('refuses a status comment a writer set back to an older state: the run pauses with one notice, nothing moves', async () => {
    const h = await planned();
    const status = h.github.comments.find(
      (c) => c.issue === 7 && c.body.includes('<!-- flowgate:status run='),
    );
    if (status === undefined) throw new Error('no status comment');
    const earlier = status.body;
    // A pause gives the status comment a newer rev (a refused command would not: it is answered by a reply alone).
    await h.comment(7, 'bob', '/pause');
    const rev = h.state(7).rev;
    h.github.editComment(status.id, 'carol', earlier);
    expect(h.state(7).rev).toBeLessThan(rev);

    const run = await h.comment(7, 'bob', '/approve');
    expect(run?.code, run?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'plan', status: 'awaiting_approval' });
    expect(status.body).toBe(earlier);
    expect(h.models.requests).toHaveLength(1);
    expect(h.github.pulls.size).toBe(0);
    const notices = h.replies(7).filter((r) => r.includes('cannot trust the state'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^⚠️ flowgate cannot trust the state of run `7-feature-[0-9a-f]{8}`: its status comment was last edited by @carol \(.+\), and only flowgate writes it\. The run is paused/,
    );
    expect(h.replies(7).at(-1)).toMatch(/^flowgate cannot act on this: the state of run .* is not trusted/);
  });

  it.each([
    ['pull_request', 'synchronize'],
    ['pull_request_review', 'submitted'],
  ])('ignores %s events of a pull request from a fork, before reading anything', async (name, action) => {
    const h = await started();
    h.github.issues.set(12, { title: 'Fix', author: 'mallory', labels: [], state: 'open', pull: true });
    const requests = h.github.log.length;
    const run = await h.deliver(name, action, 12, (p) => {
      p.pull_request.head.repo = { ...p.pull_request.head.repo, full_name: 'mallory/widgets', fork: true };
      p.sender.login = 'mallory';
      p.sender.type = 'User';
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe('idle');
    expect(run.summary).toContain(
      `Nothing to do: #12 is a pull request from a fork (mallory/widgets): GitHub runs its ${name} events without secrets and with a read-only token`,
    );
    expect(h.github.log.slice(requests)).toEqual([]);
    expect(h.models.requests).toEqual([]);
  });

  it('refuses an output a writer edited before a job read it: the step fails with one reply, /retry runs it again', async () => {
    const h = await started();
    // The label's job is killed during the plan's model call: the run waits for that step's output.
    const kill = new AbortController();
    h.models.onRequest = () => kill.abort();
    h.github.issues.get(7)?.labels.push('flowgate:feature');
    const payload = example('issues', 'labeled');
    payload.repository.name = 'widgets';
    payload.repository.owner.login = 'acme';
    payload.repository.full_name = 'acme/widgets';
    payload.repository.default_branch = 'main';
    if (payload.issue !== undefined) {
      payload.issue.number = 7;
      payload.issue.title = 'Add a --dry-run flag';
      payload.issue.user.login = 'alice';
      payload.issue.labels = [{ name: 'flowgate:feature' }];
    }
    payload.label = { name: 'flowgate:feature' };
    payload.sender.login = 'bob';
    payload.sender.type = 'User';
    const killed = await h.run('issues', payload, kill.signal);
    expect(killed.code).toBeNull();
    h.models.onRequest = undefined;
    const state = h.state(7);
    expect(state.wait).toMatchObject({ for: 'action', step: 'response' });
    if (state.wait?.for !== 'action') throw new Error('not waiting for the Action');

    // The output the job had posted, which carol (write) edits before any job reads it.
    const body = formatActionOutput(
      {
        kind: 'response',
        run: state.id,
        stage: 'plan',
        attempt: 1,
        nonce: state.wait.nonce,
        usage: { tokens_in: 10, tokens_out: 20, cost_usd: 0.001 },
      },
      PLAN,
    );
    const output = h.github.addComment(7, 'github-actions[bot]', body, 'Bot');
    h.github.editComment(output.id, 'carol', body.replace('Test it.', 'Skip the tests.'));

    const run = await h.comment(7, 'alice', 'Any news?');
    expect(run?.code, run?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'plan', status: 'failed' });
    expect(h.state(7).stages.plan?.output).toBeUndefined();
    expect(h.models.requests).toHaveLength(1);
    const notices = h.replies(7).filter((r) => r.includes('edited the output comment'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^⚠️ @carol edited the output comment \S+ \(posted by @github-actions\[bot\]\)/,
    );

    h.models.enqueue({ text: PLAN });
    const retried = await h.comment(7, 'bob', '/retry');
    expect(retried?.code, retried?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'plan', status: 'awaiting_approval' });
    expect(h.models.requests).toHaveLength(2);
  });
});

const changed = (name: string) =>
  readFileSync(new URL(`../fixtures/definition-change/${name}.yml`, import.meta.url), 'utf8');
const DOC = '.github/flowgate/doc.yml';

describe('the Action alone, when the workflow file changes on the default branch', () => {
  /** A run of `doc` (plan -> draft -> done) with its plan approved and its draft written, waiting for approval. */
  async function drafted(): Promise<AppLess> {
    const h = await started();
    h.github.files.set(DOC, changed('v1'));
    h.models.enqueue({ text: 'The plan.' });
    expect((await h.label(7, 'bob', 'flowgate:doc')).code).toBe(0);
    h.models.enqueue({ text: 'The draft.' });
    const before = h.github.log.length;
    expect((await h.comment(7, 'bob', '/approve'))?.code).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'draft', status: 'awaiting_approval' });
    // What knowing the file is unchanged cost the job: one listing (a job starts with no ETag), then free 304s.
    expect(h.github.log.slice(before).filter((l) => l.includes('/contents/.github%2Fflowgate'))).toEqual([
      'GET /repos/acme/widgets/contents/.github%2Fflowgate',
      'GET /repos/acme/widgets/contents/.github%2Fflowgate 304',
    ]);
    return h;
  }

  it("moves a run whose stage was renamed to its `replaces` heir at the next event, and ignores the removed stage's late output", async () => {
    const h = await started();
    h.github.files.set(DOC, changed('v1'));
    h.models.enqueue({ text: 'The plan.' });
    await h.label(7, 'bob', 'flowgate:doc');
    // The job of /approve dies during the draft's model call, after posting nothing: the run waits for that step.
    const kill = new AbortController();
    h.models.onRequest = () => kill.abort();
    const killed = await h.comment(7, 'bob', '/approve', { signal: kill.signal });
    expect(killed?.code).toBeNull();
    h.models.onRequest = undefined;
    const waiting = h.state(7);
    expect(waiting).toMatchObject({ stage: 'draft', wait: { for: 'action', step: 'response' } });
    if (waiting.wait?.for !== 'action') throw new Error('not waiting for the Action');
    // The draft's output turns up late, after `draft` was renamed to `write` on the default branch.
    const late = formatActionOutput(
      {
        kind: 'response',
        run: waiting.id,
        stage: 'draft',
        attempt: 1,
        nonce: waiting.wait.nonce,
        usage: { tokens_in: 10, tokens_out: 20, cost_usd: 0.001 },
      },
      'The draft, late.',
    );
    h.github.addComment(7, 'github-actions[bot]', late, 'Bot');
    h.github.files.set(DOC, changed('heir'));
    h.models.enqueue({ text: 'The page.' });

    const run = await h.comment(7, 'carol', '/status');
    expect(run?.code, run?.stdout).toBe(0);
    const state = h.state(7);
    expect(state).toMatchObject({
      stage: 'write',
      status: 'awaiting_approval',
      definition: h.github.blobSha(changed('heir')),
    });
    expect(state.stages.draft?.output).toBeUndefined();
    expect(state.stages.write?.output).toBeDefined();
    expect(state.history.map((e) => e.what)).toEqual(
      expect.arrayContaining(['draft -> write', 'ignored an output for draft']),
    );
    expect(h.replies(7)).toContain(
      'The workflow file changed: stage `draft` was removed and `write` replaces it, so the run moved to `write`. The step of `draft` still running is ignored when it reports.',
    );
    expect(run?.summary).toContain('Ran `write` (response, attempt 1): posted the response');
    const approved = await h.comment(7, 'bob', '/approve');
    expect(approved?.code, approved?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ status: 'completed' });
  });

  it('pauses a run whose stage was removed with a reply naming the stages, and /flowgate goto reaches a new stage', async () => {
    const h = await drafted();
    h.github.files.set(DOC, changed('removed'));
    const paused = await h.comment(7, 'carol', '/status');
    expect(paused?.code, paused?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'draft', status: 'paused' });
    expect(h.replies(7)).toContain(
      'The workflow file changed and stage `draft` no longer exists, and no stage `replaces` it, so the run is paused. A maintainer can move it with `/flowgate goto <stage>` to one of `plan`, `review`, `done`, or end it with `/cancel`; adding `replaces: [draft]` to the stage that takes its place moves it there at the next event.',
    );
    h.models.enqueue({ text: 'Reviewed.' });
    const moved = await h.comment(7, 'bob', '/flowgate goto review');
    expect(moved?.code, moved?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ stage: 'review', status: 'awaiting_approval' });
    expect(moved?.summary).toContain('Ran `review` (response, attempt 1)');
  });

  it('keeps a run on its definition when the file no longer loads, and says so once', async () => {
    const h = await drafted();
    h.github.files.set(DOC, changed('v1').replace('next: done', 'next: nowhere'));
    await h.comment(7, 'carol', '/status');
    await h.comment(7, 'carol', '/status');
    expect(h.replies(7).filter((r) => r.includes('has errors'))).toHaveLength(1);
    expect(h.state(7)).toMatchObject({ stage: 'draft', definition: h.github.blobSha(changed('v1')) });
    const approved = await h.comment(7, 'bob', '/approve');
    expect(approved?.code, approved?.stdout).toBe(0);
    expect(h.state(7).status).toBe('completed');
  });
});

/** A manual plan stage whose content an AI approver judges (once more after a rejection), or people approve. */
function handmade(gate: string): string {
  return `version: 1
name: handmade
on: { labels: [flowgate:handmade] }
providers:
  checker: openai/gpt-5-mini
stages:
  - id: plan
    mode: manual
    instructions: "Write an implementation plan for: {{ subject.title }}"
    gate: ${gate}
    next: done
  - id: done
`;
}

/** Whether the shipped job filter (the app-less example's `if:`) starts a job for a person's new comment. */
function startsJob(body: string): boolean {
  const text = readFileSync(
    new URL('../../workflows-examples/.github/workflows/flowgate-app-less.yml', import.meta.url),
    'utf8',
  );
  const job = Object.values((parse(text) as { jobs: Record<string, { if: string }> }).jobs)[0];
  return evaluateActionsExpression(job?.if ?? 'false', {
    github: {
      event_name: 'issue_comment',
      repository: 'acme/widgets',
      event: { action: 'created', comment: { body }, sender: { type: 'User' } },
    },
  }) as boolean;
}

/** A person comments as on GitHub: a job runs only when the shipped filter lets the comment through. */
async function commentThroughFilter(h: AppLess, login: string, body: string) {
  return h.comment(7, login, body, { dropped: !startsJob(body) });
}

describe('the Action alone, a manual stage', () => {
  async function handmadeStarted(gate: string): Promise<AppLess> {
    const h = await started();
    h.github.files.set('.github/flowgate/handmade.yml', handmade(gate));
    const run = await h.label(7, 'bob', 'flowgate:handmade');
    expect(run.code, run.stdout).toBe(0);
    return h;
  }

  it('posts its instructions, takes a /submit through the job filter and has the AI approver judge it; a rejection asks for new content', async () => {
    const h = await handmadeStarted('{ approver: "ai:checker", max_retries: 1 }');
    expect(h.state(7)).toMatchObject({
      stage: 'plan',
      status: 'awaiting_approval',
      wait: { for: 'content' },
    });
    const request = h.replies(7).at(-1) ?? '';
    expect(request).toContain('stage **plan** waits for its content from a person (attempt 1).');
    expect(request).toContain(
      'Write an implementation plan for: \n```data: subject.title\nAdd a --dry-run flag\n```',
    );
    expect(request).toContain('**How to hand it in:** start a new comment with `/submit`');

    // Chat starts no job, and is never content.
    expect(await commentThroughFilter(h, 'carol', 'I will get to this tomorrow.')).toBeUndefined();
    h.models.enqueue({ text: '{"decision": "rejected", "feedback": "Say how to roll it back."}' });
    const run = await commentThroughFilter(h, 'carol', `/submit ${PLAN}`);
    expect(run?.code, run?.stdout).toBe(0);
    expect(run?.stdout).not.toContain('has no provider');
    expect(h.models.requests).toHaveLength(1);
    expect(JSON.stringify(h.models.requests[0]?.body)).toContain('Add the flag.');
    expect(h.state(7)).toMatchObject({
      status: 'awaiting_approval',
      wait: { for: 'content' },
      stages: { plan: { attempt: 2, feedback: 'Say how to roll it back.' } },
    });
    expect(h.replies(7).at(-1)).toContain(
      '**Sent back** by the AI approver `ai:checker` (attempt 1), with this feedback:\n\n```data: feedback\nSay how to roll it back.\n```',
    );

    h.models.enqueue({ text: '{"decision": "approved", "feedback": "Good."}' });
    const second = await commentThroughFilter(
      h,
      'carol',
      `/submit\n${PLAN}\n3. Roll back with the down migration.`,
    );
    expect(second?.code, second?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ status: 'completed', stage: 'done' });
    expect(h.models.requests).toHaveLength(2);
    expect(h.github.dispatches).toEqual([]);
  });

  it('on /reject of the content asks for new content, and runs no model', async () => {
    const h = await handmadeStarted('{ approver: manual, approvers: { permission: maintain } }');
    await commentThroughFilter(h, 'carol', `/submit ${PLAN}`);
    expect(h.replies(7).slice(-2)[0]).toBe(
      'Taken: this comment is the content of stage "plan" (attempt 1), submitted by @carol.',
    );
    const run = await commentThroughFilter(h, 'bob', '/reject No rollback step.');
    expect(run?.code, run?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({
      status: 'awaiting_approval',
      wait: { for: 'content' },
      stages: { plan: { attempt: 2, feedback: 'No rollback step.' } },
    });
    expect(h.models.requests).toEqual([]);
  });
});

/** A plan whose model may ask a person (ask_human on its gate), and one whose AI approver may. */
const ASKS = `version: 1
name: feature
on: { labels: [flowgate:feature] }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5, max_output_tokens: 2000, timeout_seconds: 5 }
  reviewer: { use: openai, model: gpt-5-mini, max_output_tokens: 500, timeout_seconds: 5 }
stages:
  - id: plan
    provider: writer
    instructions: Write an implementation plan for "{{ subject.title }}".
    gate: { approver: manual, approvers: [bob], ask_human: Ask before planning anything that touches billing. }
    next: check
  - id: check
    provider: writer
    instructions: Summarise the plan for the changelog.
    gate: { approver: "ai:reviewer", approvers: [bob], ask_human: Ask a person when unsure. }
  - id: done
`;

describe('the Action alone, when a model asks a person (ask_human)', () => {
  it('waits for /answer, mentions the approvers with the question, and writes the plan again with the answer', async () => {
    const h = await started();
    h.github.files.set('.github/flowgate/feature.yml', ASKS);
    h.models.enqueue({ text: 'Ask a human: Should a dry run skip the billing sync? @carol' });
    const labelled = await h.label(7, 'bob', 'flowgate:feature');
    expect(labelled.code, labelled.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({
      status: 'awaiting_approval',
      stage: 'plan',
      wait: { for: 'answer', from: 'model', step: 'response' },
    });
    const notice = h.replies(7).at(-1) ?? '';
    expect(notice).toMatch(/^@bob: the model of "plan" asks a question before it goes on\./);
    expect(notice).toContain('> Should a dry run skip the billing sync? @&#8203;');
    expect(notice).not.toContain('@carol');

    h.models.enqueue({ text: PLAN });
    const answered = await h.comment(7, 'bob', '/answer Yes, skip it.');
    expect(answered?.code, answered?.stdout).toBe(0);
    expect(h.models.requests).toHaveLength(2);
    expect(JSON.stringify(h.models.requests[1]?.body)).toContain('Yes, skip it.');
    expect(h.state(7)).toMatchObject({
      status: 'awaiting_approval',
      stage: 'plan',
      wait: { for: 'approval', step: 'response' },
      stages: { plan: { attempt: 2 } },
    });
  });

  it('lets the AI approver ask, and bob decide in its place with /approve', async () => {
    const h = await started();
    h.github.files.set('.github/flowgate/feature.yml', ASKS);
    h.models.enqueue({ text: PLAN });
    await h.label(7, 'bob', 'flowgate:feature');
    h.models.enqueue({ text: 'Adds a --dry-run flag.' });
    h.models.enqueue({
      text: JSON.stringify({ decision: 'ask_human', feedback: 'Is this worth a changelog line?' }),
    });
    const approved = await h.comment(7, 'bob', '/approve');
    expect(approved?.code, approved?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({
      status: 'awaiting_approval',
      stage: 'check',
      wait: { for: 'answer', from: 'approver', step: 'response' },
    });
    expect(h.replies(7).at(-1)).toMatch(/^@bob: the AI approver `ai:reviewer` asks a question/);
    const decided = await h.comment(7, 'bob', '/approve Yes, it is.');
    expect(decided?.code, decided?.stdout).toBe(0);
    expect(h.state(7)).toMatchObject({ status: 'completed', stage: 'done' });
  });
});
