import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readExample } from '../support/app-harness.ts';
import { AppProcess } from '../support/app-process.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { ProcessDeliveries, until } from '../support/process-deliveries.ts';
import { serveStandIn } from '../support/serve-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from '../support/state-keys.ts';

/**
 * The app as `npm start` runs it (Probot's stock settings: retries and throttling on), against a GitHub stand-in
 * that takes 250 ms over every request: each webhook is answered first, within a second however long its work
 * takes, and worked on after. Work a crash cuts off after the answer is redone; what is not, is shown.
 */
const DELAY_MS = 250;

describe('npm start answers each webhook first, then works', () => {
  const github = new GitHubStandIn('acme', 'widgets');
  const requests: { line: string; at: number }[] = [];
  const d = new ProcessDeliveries(github);
  let served: Awaited<ReturnType<typeof serveStandIn>>;
  const running: AppProcess[] = [];
  const all: AppProcess[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const app = await AppProcess.start({ github: served.url, stateKey: STATE_PRIVATE_KEY, env });
    running.push(app);
    all.push(app);
    return app;
  };
  const logs = () => all.map((app) => app.output).join('\n');
  const writesFrom = (index: number) =>
    requests.slice(index).filter((r) => !r.line.startsWith('GET') && !r.line.includes('/access_tokens'));
  const awaitingApproval = (n: number) => d.state(n)?.wait?.for === 'approval';
  /** Until the app sent no request for 2 s: the work of earlier deliveries is done (writes are spaced 1 s apart). */
  const quiet = () => until(() => performance.now() - (requests.at(-1)?.at ?? 0) > 2000, 30_000, logs);

  beforeAll(async () => {
    // The repository as the installation lists it (the catch-up scan) has the id the webhooks carry.
    github.repoId = REPO_ID;
    github.files.set('.github/flowgate/feature.yml', readExample('plan-implement-review-revise.yml'));
    github.permissions.set('bob', 'maintain');
    for (const n of [7, 8, 9, 11, 12, 13, 14, 15])
      github.issues.set(n, {
        title: 'Add a dark mode',
        author: 'alice',
        labels: [],
        state: 'open',
        pull: false,
      });
    served = await serveStandIn(
      github,
      (method, path) => requests.push({ line: `${method} ${path}`, at: performance.now() }),
      '/api/v3',
      DELAY_MS,
    );
  }, 60_000);

  afterEach(async () => {
    for (const app of running.splice(0)) await app.stop();
  });
  afterAll(async () => {
    await served?.close();
  });

  /** A run of `feature` on `n`, its plan answered by the Action and awaiting approval. */
  const awaitingPlanApproval = async (app: AppProcess, n: number) => {
    const dispatched = github.dispatches.length;
    expect((await d.label(app, n, 'bob', 'flowgate:feature')).status).toBe(200);
    await until(
      () => github.dispatches.length > dispatched && d.state(n)?.wait?.for === 'action',
      20_000,
      logs,
    );
    expect((await d.answerLastDispatch(app, n)).status).toBe(200);
    await until(() => awaitingApproval(n), 20_000, logs);
    await quiet();
  };

  it('answers within 1 s while the work takes seconds; a command gets its eyes reaction first', async () => {
    const app = await start({ FLOWGATE_CATCH_UP_MINUTES: '0' });

    const dispatched = github.dispatches.length;
    const label = await d.label(app, 7, 'bob', 'flowgate:feature');
    expect(label.status).toBe(200);
    expect(label.ms).toBeLessThan(1000);
    // Answered before the work wrote anything: the status comment comes after.
    expect(d.state(7)).toBeUndefined();
    await until(() => d.state(7)?.stage === 'plan', 20_000, logs);
    await until(
      () => github.dispatches.length > dispatched && d.state(7)?.wait?.for === 'action',
      20_000,
      logs,
    );

    const output = await d.answerLastDispatch(app, 7);
    expect(output.ms).toBeLessThan(1000);
    await until(() => awaitingApproval(7), 20_000, logs);
    await quiet();

    const before = requests.length;
    const sent = performance.now();
    const approve = await d.comment(app, 7, 'bob', '/approve');
    const answered = sent + approve.ms;
    expect(approve.status).toBe(200);
    expect(approve.ms).toBeLessThan(1000);
    await until(() => d.state(7)?.stage === 'implement', 20_000, logs);
    const writes = writesFrom(before);
    // The eyes reaction on the command is the first write; the stage moves after the answer.
    expect(writes[0]?.line).toBe(`POST /repos/acme/widgets/issues/comments/${approve.commentId}/reactions`);
    expect(github.reactions.filter((r) => r.comment === approve.commentId).map((r) => r.content)).toContain(
      'eyes',
    );
    expect(writes.at(-1)?.at ?? 0).toBeGreaterThan(answered);
    expect(logs()).not.toContain('could not be');
  }, 120_000);

  it('a command cut off by a crash after the answer is redone by the catch-up scan at the next start', async () => {
    const first = await start({ FLOWGATE_CATCH_UP_MINUTES: '0' });
    await awaitingPlanApproval(first, 8);
    const before = requests.length;
    const approve = await d.comment(first, 8, 'bob', '/approve');
    expect(approve.status).toBe(200);
    // Killed (SIGKILL: no grace) once the command got its eyes reaction, before the stage moved.
    await until(() => writesFrom(before).length > 0, 20_000, logs);
    first.kill();
    await new Promise((resolve) => setTimeout(resolve, 3 * DELAY_MS));
    expect(d.state(8)).toMatchObject({ stage: 'plan' });
    expect(awaitingApproval(8)).toBe(true);

    // The next start's catch-up scan finds the run by its flowgate labels, reads the comments again, applies /approve.
    const second = await start();
    await until(() => d.state(8)?.stage === 'implement', 30_000, logs);
    await until(() => second.output.includes('catch-up scan of'), 30_000, logs);
    // Applied once (the eyes reaction may be sent again: GitHub keeps one per person and kind), no duplicate reply.
    expect(d.state(8)?.stages.plan?.approvals).toHaveLength(1);
    expect(d.state(8)?.stages.implement?.visits).toBe(1);
    const replies = github.comments.filter(
      (c) => c.issue === 8 && c.type === 'Bot' && !c.body.includes('flowgate:state'),
    );
    expect(new Set(replies.map((c) => c.body)).size).toBe(replies.length);
  }, 120_000);

  it('a command cut off by a crash after the answer is redone by the next delivery on the subject', async () => {
    const first = await start({ FLOWGATE_CATCH_UP_MINUTES: '0' });
    await awaitingPlanApproval(first, 12);
    const before = requests.length;
    expect((await d.comment(first, 12, 'bob', '/approve')).status).toBe(200);
    await until(() => writesFrom(before).length > 0, 20_000, logs);
    first.kill();
    await new Promise((resolve) => setTimeout(resolve, 3 * DELAY_MS));
    expect(awaitingApproval(12)).toBe(true);

    // No catch-up scan this time: the next comment's reconcile reads the /approve it has not applied, and applies it.
    const second = await start({ FLOWGATE_CATCH_UP_MINUTES: '0' });
    expect((await d.comment(second, 12, 'carol', 'Looks good to me.')).status).toBe(200);
    await until(() => d.state(12)?.stage === 'implement', 30_000, logs);
    expect(d.state(12)?.stages.plan?.approvals).toHaveLength(1);
  }, 120_000);

  it('a /flowgate start and a trigger label cut off after the answer are applied by the catch-up at the next start, once', async () => {
    const first = await start({ FLOWGATE_CATCH_UP_MINUTES: '0' });
    const command = await d.comment(first, 9, 'bob', '/flowgate start feature');
    await d.label(first, 13, 'bob', 'flowgate:feature');
    // A label by someone who may not start runs, also cut off: the catch-up starts nothing and says nothing.
    await d.label(first, 14, 'alice', 'flowgate:feature');
    expect(command.status).toBe(200);
    first.kill();
    await new Promise((resolve) => setTimeout(resolve, 3 * DELAY_MS));
    expect(d.state(9)).toBeUndefined();
    expect(d.state(13)).toBeUndefined();

    // The scan at the next start lists the repository's comments and issue events of the last hour: the
    // /flowgate start on #9 and the label on #13 are applied as their deliveries would have been, once.
    const second = await start();
    await until(() => d.state(9)?.stage === 'plan', 30_000, logs);
    await until(() => d.state(13)?.stage === 'plan', 30_000, logs);
    await until(() => second.output.includes('catch-up scan of'), 30_000, logs);
    await quiet();
    const statuses = (n: number) =>
      github.comments.filter((c) => c.issue === n && c.body.includes('flowgate:state'));
    expect(statuses(9)).toHaveLength(1);
    expect(statuses(13)).toHaveLength(1);
    expect(github.comments.filter((c) => c.issue === 14)).toEqual([]);

    // The run on #13 is cancelled; a later scan (the label still on the issue, its event within the hour) starts
    // nothing again: the run took that label event already.
    await d.comment(second, 13, 'bob', '/cancel');
    await until(() => d.state(13)?.status === 'cancelled', 30_000, logs);
    // On #15 the label's delivery was applied as usual, and the run cancelled: the scan must not start it again.
    await d.label(second, 15, 'bob', 'flowgate:feature');
    await until(() => d.state(15)?.stage === 'plan', 30_000, logs);
    await d.comment(second, 15, 'bob', '/cancel');
    await until(() => d.state(15)?.status === 'cancelled', 30_000, logs);
    await quiet();
    await second.stop();
    const third = await start();
    await until(() => third.output.includes('catch-up scan of'), 30_000, logs);
    await quiet();
    expect(statuses(9)).toHaveLength(1);
    expect(statuses(13)).toHaveLength(1);
    expect(d.state(13)?.status).toBe('cancelled');
    expect(statuses(15)).toHaveLength(1);
    expect(d.state(15)?.status).toBe('cancelled');
  }, 120_000);

  it('with FLOWGATE_AWAIT_WORK=true (serverless) answers only after the work', async () => {
    const app = await start({ FLOWGATE_CATCH_UP_MINUTES: '0', FLOWGATE_AWAIT_WORK: 'true' });
    github.issues.set(10, {
      title: 'Add a dark mode',
      author: 'alice',
      labels: [],
      state: 'open',
      pull: false,
    });
    const label = await d.label(app, 10, 'bob', 'flowgate:feature');
    expect(label.status).toBe(200);
    // The run's status comment was written before the answer.
    expect(d.state(10)).toMatchObject({ stage: 'plan' });
    expect(label.ms).toBeGreaterThan(DELAY_MS);
  }, 120_000);

  it('a SIGTERM lets the work under way finish before the process exits', async () => {
    const app = await start({ FLOWGATE_CATCH_UP_MINUTES: '0' });
    await awaitingPlanApproval(app, 11);
    const bot = () => github.comments.filter((c) => c.issue === 11 && c.type === 'Bot').length;
    const before = bot();
    const status = await d.comment(app, 11, 'bob', '/status');
    expect(status.status).toBe(200);
    expect(bot()).toBe(before);
    const ended = await app.terminate();
    expect(ended).toBe(true);
    // The reply was posted before the process exited.
    expect(bot()).toBe(before + 1);
  }, 120_000);
});
