import { afterEach } from 'vitest';
import { ModelServer } from '../support/model-server.ts';
import { ActionHarness } from './action-harness.ts';

export interface LabelledRunOptions {
  /** Who is who in the repository (default: bob maintains it). */
  people?: Record<string, string>;
  /** Issue #7's author (default alice) and title. */
  author?: string;
  title?: string;
  /** Issue #7's body (default none). */
  body?: string;
  /** Comments on #7 before the run starts, as [login, body]. */
  comments?: [string, string][];
}

/**
 * The set-up most Action tests share: the app and the bundled Action over one stand-in, a model server, the
 * workflow at `.github/flowgate/feature.yml`, issue #7, and bob adding the `flowgate:feature` label, which starts
 * the run and dispatches its first step. Call once at the top of a test file: it closes what it opened after each
 * test, and returns the function that opens them.
 */
export function labelledRuns(): (
  flow: string,
  options?: LabelledRunOptions,
) => Promise<{ h: ActionHarness; models: ModelServer }> {
  let open: { h: ActionHarness; models: ModelServer } | undefined;
  afterEach(async () => {
    await open?.h.close();
    await open?.models.close();
    open = undefined;
  });
  return async (flow, options = {}) => {
    const models = await ModelServer.start();
    const h = await ActionHarness.start(
      { '.github/flowgate/feature.yml': flow },
      options.people ?? { bob: 'maintain' },
    );
    open = { h, models };
    h.app.newIssue(7, options.author ?? 'alice', options.title ?? 'Add a --dry-run flag');
    const issue = h.github.issues.get(7);
    if (issue !== undefined && options.body !== undefined) issue.body = options.body;
    for (const [login, body] of options.comments ?? []) h.github.addComment(7, login, body);
    await h.app.deliver('issues', 'labeled', 7, (p) => {
      p.label = { name: 'flowgate:feature' };
      p.sender.login = 'bob';
      p.sender.type = 'User';
    });
    return { h, models };
  };
}
