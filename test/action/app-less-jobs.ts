import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect } from 'vitest';
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

/** One event's job and what the run looks like after it, on issue #7. */
export interface AppLessJobs {
  github: GitHubStandIn;
  models: ModelServer;
  /** A person adds `label` to #7: its job runs and must succeed. */
  label: (by: string, label: string) => Promise<BundledRun>;
  /** A person comments on #7: its job runs and must succeed. */
  comment: (login: string, body: string) => Promise<BundledRun>;
  state: () => RunState;
}

/**
 * For Action tests without the app and without a checkout (no code stages): GitHub as a stand-in over HTTP, a
 * model server, `workflow` at `.github/flowgate/<name>.yml`, issue #7 by alice; bob maintains, carol writes. Every
 * event is one job of the bundled Action, as a runner starts it for `issues` or `issue_comment`. Call once at the
 * top of a test file: it closes what it opened after each test, and returns the function that opens them.
 */
export function appLessJobs(): (name: string, workflow: string) => Promise<AppLessJobs> {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (name, workflow) => {
    const models = await ModelServer.start();
    cleanups.push(() => models.close());
    // The Action's clock is the real one (the run's start time): GitHub's must be too.
    const github = new GitHubStandIn('acme', 'widgets', () => new Date().toISOString());
    github.tokenLogins.set(TOKEN, 'github-actions[bot]');
    github.files.set(`.github/flowgate/${name}.yml`, workflow);
    github.permissions.set('bob', 'maintain');
    github.permissions.set('carol', 'write');
    github.issues.set(7, {
      title: 'Fix the login page',
      author: 'alice',
      labels: [],
      state: 'open',
      pull: false,
    });
    const served = await serveStandIn(github);
    cleanups.push(served.close);
    let runId = 100;
    const job = async (event: string, edit: (p: Record<string, unknown>) => void): Promise<BundledRun> => {
      const payload = example(event, event === 'issues' ? 'labeled' : 'created');
      payload.repository.name = 'widgets';
      payload.repository.owner.login = 'acme';
      payload.repository.full_name = 'acme/widgets';
      payload.repository.default_branch = 'main';
      const issue = github.issues.get(7);
      payload.issue.number = 7;
      payload.issue.title = issue?.title;
      payload.issue.user.login = 'alice';
      payload.issue.labels = (issue?.labels ?? []).map((label) => ({ name: label }));
      edit(payload);
      const run = await runBundledAction({
        apiUrl: served.url,
        event: payload,
        env: {
          ...modelEnv(models),
          FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY,
          GITHUB_EVENT_NAME: event,
          GITHUB_RUN_ID: String(++runId),
          GITHUB_RUN_ATTEMPT: '1',
        },
        with: { 'github-token': TOKEN },
      });
      expect(run.code, run.stdout).toBe(0);
      return run;
    };
    const label = (by: string, added: string) => {
      github.issues.get(7)?.labels.push(added);
      return job('issues', (p) => {
        p.label = { name: added };
        p.sender = { login: by, type: 'User' };
      });
    };
    const comment = async (login: string, body: string) => {
      // Distinct timestamps: GitHub's order of an edit and a later comment is then the order they were made in.
      await sleep(20);
      const c = github.addComment(7, login, body);
      return job('issue_comment', (p) => {
        Object.assign(p.comment as object, { id: c.id, body, user: { login, type: 'User' } });
        p.sender = { login, type: 'User' };
      });
    };
    const state = (): RunState => {
      const status = github.comments.find(
        (c) => c.issue === 7 && c.body.includes('<!-- flowgate:status run='),
      );
      if (status === undefined) throw new Error('no status comment on #7');
      const decoded = decodeStateBlock(status.body, STATE_PUBLIC_KEY, { id: REPO_ID, number: 7 });
      if (!decoded.ok) throw new Error(decoded.message);
      return decoded.state;
    };
    return { github, models, label, comment, state };
  };
}
