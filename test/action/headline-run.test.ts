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
function flagship(agentPath: string): string {
  const example = readExample('plan-implement-review-revise.yml');
  const swapped = example.replace(
    'run: "codex exec --json -"',
    `run: "'${process.execPath}' '${agentPath}'"`,
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

describe('the flagship workflow (plan, implement, review, revise) through the app and the bundled Action', () => {
  it('keeps one pull request for the run: revise pushes onto it, and each review prompt carries the diff', async () => {
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
    models = await ModelServer.start();
    harness = await ActionHarness.start(
      { '.github/flowgate/feature.yml': flagship(agentPath) },
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
        ...modelEnv(models as ModelServer),
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
      models?.enqueue({ text: `Reviewed.\n\nVerdict: ${verdict}` });
      expect(h.lastDispatch()).toMatchObject({ stage: 'review', step: 'response' });
      await h.step(7, await job());
      return sentTo(models as ModelServer, models ? models.requests.length - 1 : 0).prompt;
    };

    // plan: the writer answers; a maintainer approves.
    models.enqueue({ text: '1. Add `dryRun` to sync.\n2. Test it.' });
    await h.step(7, await job());
    await h.app.comment(7, 'bob', '/approve');

    // implement: the agent's change becomes pull request #8, approved in a review.
    expect(h.lastDispatch()).toMatchObject({ stage: 'implement', step: 'response' });
    await h.step(7, await job());
    const implemented = checkout.remoteHead('flowgate/7-implement');
    expect(implemented).toMatch(/^[0-9a-f]{40}$/);
    expect(h.app.state(7).stages.implement?.output).toMatchObject({ pointer: { pull_number: 8 } });
    const approval = h.github.addReview(8, 'bob', 'APPROVED', '', implemented);
    await h.app.deliver('pull_request_review', 'submitted', 8, (p) => {
      p.pull_request.number = 8;
      p.pull_request.body = 'Implements #7.\n\n<!-- flowgate:pr issue=7 -->';
      p.pull_request.head.sha = implemented;
      p.review.id = approval.id;
      p.review.state = 'approved';
      p.review.user.login = 'bob';
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });

    // review, attempt 1: the prompt carries implement's diff, and the checker fails it.
    const firstReview = await review('FAIL');
    expect(firstReview).toContain(
      "Review the pull request against the plan. End with PASS or FAIL.\n\nPlan:\n```data: outputs.plan\n1. Add `dryRun` to sync.\n2. Test it.\n```\n\nThe pull request's changes:\n```data: pr.diff_summary\n1 file changed, 3 insertions(+), 1 deletion(-)\nM sync.js (+3 -1)\n\ndiff --git a/sync.js b/sync.js\n@@ -1 +1,3 @@\n-export function sync() {}\n+export function sync({ dryRun }) {\n+  if (dryRun) return [];\n+}\n```",
    );
    expect(firstReview).toContain('M sync.js (+3 -1)');
    expect(firstReview).toContain('diff --git a/sync.js b/sync.js\n@@');
    expect(firstReview).toContain('+export function sync({ dryRun }) {');

    // revise: the agent works on the pull request's head and its commit goes onto the same pull request.
    expect(h.lastDispatch()).toMatchObject({ stage: 'revise', step: 'response' });
    await h.step(7, await job());
    const revised = checkout.remoteHead('flowgate/7-implement');
    expect(revised).not.toBe(implemented);
    expect(git(checkout.origin, 'rev-parse', `${revised}^`)).toBe(implemented);
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
});
