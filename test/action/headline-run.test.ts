import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHead } from '../../src/agent/read-head.ts';
import { GitWorkspace, git } from '../agent/git-workspace.ts';
import { readExample } from '../support/app-harness.ts';
import { GitHttpServer } from '../support/git-http-server.ts';
import { ModelServer } from '../support/model-server.ts';
import { ActionHarness, TOKEN } from './action-harness.ts';
import { modelEnv, sentTo } from './model-fixture.ts';

/**
 * A CLI agent that really edits: on the implement prompt it writes the feature, on the revise prompt ("Address
 * this review") the test the review asked for. It reports its usage as the protocol says.
 */
const AGENT = `import { readFileSync, writeFileSync } from 'node:fs';
const prompt = readFileSync(0, 'utf8');
if (prompt.includes('Address this review')) {
  writeFileSync('sync.test.js', "import { sync } from './sync.js';\\ntest('dry run', () => sync({ dryRun: true }));\\n");
} else {
  writeFileSync('sync.js', 'export function sync({ dryRun }) {\\n  if (dryRun) return [];\\n}\\n');
}
console.log('Done.');
console.log('flowgate: usage tokens_in=1000 tokens_out=200 cost_usd=0.01');
`;

let harness: ActionHarness | undefined;
let ws: GitWorkspace | undefined;
let gitServer: GitHttpServer | undefined;
let models: ModelServer | undefined;
let agentDir: string | undefined;
afterEach(async () => {
  await harness?.close();
  await gitServer?.stop();
  await models?.close();
  ws?.remove();
  if (agentDir !== undefined) rmSync(agentDir, { recursive: true, force: true });
  harness = gitServer = models = ws = agentDir = undefined;
});

/** The flagship example as a team copies it, with its agent (`codex exec`) swapped for the scripted one. */
function flagship(agentPath: string, agentLine: (line: string) => string): string {
  const example = readExample('plan-implement-review-revise.yml');
  const line = 'agent: { use: command, run: "codex exec --json -", max_iterations: 5 }';
  const swapped = example.replace(
    line,
    agentLine(line.replace('run: "codex exec --json -"', `run: "'${process.execPath}' '${agentPath}'"`)),
  );
  if (swapped === example) throw new Error('the example no longer names its agent as this test expects');
  return swapped;
}

/** What the pull request files API lists for `head` against main, read from the real remote with git. */
function pullFilesFromGit(origin: string, head: string) {
  const stats = git(origin, 'diff', '--numstat', `main...${head}`).split('\n').filter(Boolean);
  return stats.map((line) => {
    const [added = '0', removed = '0', path = ''] = line.split('\t');
    const full = git(origin, 'diff', `main...${head}`, '--', path);
    const patch = full.slice(full.indexOf('\n@@') + 1);
    const existed = git(origin, 'ls-tree', 'main', '--', path) !== '';
    return {
      filename: path,
      status: existed ? 'modified' : 'added',
      additions: Number(added),
      deletions: Number(removed),
      patch,
    };
  });
}

/**
 * The flagship example on issue #7 through the app and the bundled Action, its agent pushing to a real git remote
 * over HTTP, and the model server answering for the writer and the checker. `agentLine` edits the agent's
 * provider line (to add `pass_env`, say).
 */
async function flagshipRun(agentLine: (line: string) => string = (line) => line) {
  ws = new GitWorkspace();
  const checkout = ws;
  const root = join(ws.dir, 'served');
  mkdirSync(join(root, 'acme'), { recursive: true });
  symlinkSync(ws.origin, join(root, 'acme', 'widgets.git'));
  gitServer = new GitHttpServer(root, TOKEN);
  const serverUrl = await gitServer.start();
  agentDir = mkdtempSync(join(tmpdir(), 'flowgate-agent-'));
  const agentPath = join(agentDir, 'agent.mjs');
  writeFileSync(agentPath, AGENT);
  const server = await ModelServer.start();
  models = server;
  harness = await ActionHarness.start(
    { '.github/flowgate/feature.yml': flagship(agentPath, agentLine) },
    { bob: 'maintain', carol: 'write' },
  );
  const h = harness;
  h.github.branchHead = (ref) => checkout.remoteHead(ref);
  h.app.newIssue(7, 'alice', 'Add a --dry-run flag');
  await h.app.deliver('issues', 'labeled', 7, (p) => {
    p.label = { name: 'flowgate:feature' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  /** A new job: a fresh checkout of main, as actions/checkout leaves it, and the job's environment. */
  const job = async () => {
    checkout.clone();
    return {
      ...modelEnv(server),
      GITHUB_WORKSPACE: checkout.work,
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: await readHead(checkout.work),
      GITHUB_SERVER_URL: serverUrl,
    };
  };
  /** The run's pull request as GitHub would list its files now, then the review step. */
  const review = async (verdict: 'PASS' | 'FAIL') => {
    const head = checkout.remoteHead('flowgate/7-implement') ?? '';
    h.github.pullFiles.set(8, pullFilesFromGit(checkout.origin, head));
    server.enqueue({ text: `Reviewed.\n\nVerdict: ${verdict}` });
    expect(h.lastDispatch()).toMatchObject({ stage: 'review', step: 'response' });
    await h.step(7, await job());
    return sentTo(server, server.requests.length - 1).prompt;
  };

  return { h, checkout, job, review, models: server };
}

/** Runs plan (approved by bob) and implement (pull request #8, approved in bob's review): review is next. */
async function implemented(run: Awaited<ReturnType<typeof flagshipRun>>) {
  const { h, checkout, job, models } = run;
  models.enqueue({ text: '1. Add `dryRun` to sync.\n2. Test it.' });
  await h.step(7, await job());
  await h.app.comment(7, 'bob', '/approve');
  expect(h.lastDispatch()).toMatchObject({ stage: 'implement', step: 'response' });
  await h.step(7, await job());
  const head = checkout.remoteHead('flowgate/7-implement') ?? '';
  const approval = h.github.addReview(8, 'bob', 'APPROVED', '', head);
  await h.app.deliver('pull_request_review', 'submitted', 8, (p) => {
    p.pull_request.number = 8;
    p.pull_request.body = 'Implements #7.\n\n<!-- flowgate:pr issue=7 -->';
    p.pull_request.head.sha = head;
    p.review.id = approval.id;
    p.review.state = 'approved';
    p.review.user.login = 'bob';
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  return head;
}

describe('the flagship workflow (plan, implement, review, revise) through the app and the bundled Action', () => {
  // Eight Action runs and two agents in child processes: seconds each on a busy machine.
  it('keeps one pull request for the run: revise pushes onto it, and each review prompt carries the diff', {
    timeout: 120_000,
  }, async () => {
    const run = await flagshipRun();
    const { h, checkout, job, review } = run;
    // plan, then implement: the agent's change becomes pull request #8, approved in a review.
    const head = await implemented(run);
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    expect(h.app.state(7).stages.implement?.output).toMatchObject({ pointer: { pull_number: 8 } });

    // review, attempt 1: the prompt carries implement's diff, and the checker fails it.
    const firstReview = await review('FAIL');
    expect(firstReview).toContain(
      "Review the pull request against the plan. End with PASS or FAIL.\n\nPlan:\n\n```data: outputs.plan\n1. Add `dryRun` to sync.\n2. Test it.\n```\n\n\nThe pull request's changes:\n\n```data: pr.diff_summary\n1 file changed, 3 insertions(+), 1 deletion(-)\nM sync.js (+3 -1)\n\ndiff --git a/sync.js b/sync.js\n@@ -1 +1,3 @@\n-export function sync() {}\n+export function sync({ dryRun }) {\n+  if (dryRun) return [];\n+}\n```",
    );

    // revise: the agent works on the pull request's head and its commit goes onto the same pull request.
    expect(h.lastDispatch()).toMatchObject({ stage: 'revise', step: 'response' });
    await h.step(7, await job());
    const revised = checkout.remoteHead('flowgate/7-implement');
    expect(revised).not.toBe(head);
    expect(git(checkout.origin, 'rev-parse', `${revised}^`)).toBe(head);
    expect(git(checkout.origin, 'show', `${revised}:sync.js`)).toContain('if (dryRun) return [];');
    expect(git(checkout.origin, 'show', `${revised}:sync.test.js`)).toContain("test('dry run'");
    expect(checkout.remoteHead('flowgate/7-revise')).toBeUndefined();
    expect([...h.github.pulls.keys()]).toEqual([8]);
    const revise = h.parsedOutputs(7).at(-1);
    expect(revise?.output).toMatchObject({ stage: 'revise', pull_number: 8, head_sha: revised });
    expect(revise?.visible).toBe(
      'Pushed "revise" (attempt 1) to #8 (`flowgate/7-implement`, 1 file changed): https://github.com/acme/widgets/pull/8',
    );

    // review, attempt 2: the diff now holds both changes; it passes and the run completes.
    const secondReview = await review('PASS');
    expect(secondReview).toContain('2 files changed');
    expect(secondReview).toContain('diff --git a/sync.test.js b/sync.test.js\n@@');
    expect(secondReview).toContain("+test('dry run', () => sync({ dryRun: true }));");
    expect(h.app.state(7)).toMatchObject({ status: 'completed', stage: 'done' });
    expect([...h.github.pulls.keys()]).toEqual([8]);
  });

  it("runs a later code stage without secrets when someone else pushed to the run's pull request", {
    timeout: 120_000,
  }, async () => {
    const run = await flagshipRun((line) =>
      line.replace('max_iterations: 5', 'max_iterations: 5, pass_env: [OPENAI_API_KEY]'),
    );
    const { h, checkout, job, review } = run;
    const head = await implemented(run);
    await review('FAIL');
    // carol pushes a commit of her own onto the pull request's branch.
    const hers = join(checkout.dir, 'hers');
    git(
      checkout.dir,
      'clone',
      '--quiet',
      '--branch',
      'flowgate/7-implement',
      `file://${checkout.origin}`,
      hers,
    );
    writeFileSync(join(hers, 'postinstall.js'), 'console.log(process.env.OPENAI_API_KEY);\n');
    git(hers, 'add', '.');
    git(hers, 'commit', '--quiet', '-m', 'Helpful change');
    git(hers, 'push', '--quiet', 'origin', 'flowgate/7-implement');
    const pushed = checkout.remoteHead('flowgate/7-implement');
    expect(pushed).not.toBe(head);

    expect(h.lastDispatch()).toMatchObject({ stage: 'revise', step: 'response' });
    const result = await h.run(await job());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `the head of #8 is ${pushed}, a commit flowgate did not push for this run`,
    );
    const failure = h.parsedOutputs(7).at(-1);
    expect(failure?.output.kind).toBe('failure');
    expect(failure?.output.kind === 'failure' && failure.output.error).toMatch(/from a fork/);
    expect(checkout.remoteHead('flowgate/7-implement')).toBe(pushed);
  });
});
