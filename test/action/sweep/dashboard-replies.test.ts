import { beforeEach, describe, expect, it } from 'vitest';
import type { GitHubStandIn, Request } from '../../support/github-stand-in.ts';
import type { ModelServer } from '../../support/model-server.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import { dashboardOf, sharedModelServer, sweepJob, sweepRepo } from './sweep-fixture.ts';

const model = sharedModelServer();
let models: ModelServer;
beforeEach(() => {
  models = model();
});

/** The job's GitHub inputs, with its Actions run's page (GITHUB_RUN_ID). */
function inRun(runId: string) {
  return {
    runId,
    extra: {
      github: {
        token: 'ghs_test',
        repo: { owner: 'acme', repo: 'widgets', id: REPO_ID },
        apiUrl: 'https://api.github.com',
        runUrl: `https://github.com/acme/widgets/actions/runs/${runId}`,
      },
    },
  };
}

/** The bot's replies to a comment, without their hidden marker. */
function repliesTo(github: GitHubStandIn, commentId: number): string[] {
  const marker = `<!-- flowgate:reply ${commentId} -->`;
  return github.comments
    .filter((c) => c.type === 'Bot' && c.body.includes(marker))
    .map((c) => c.body.replace(`\n\n${marker}`, ''));
}

function reactionsTo(github: GitHubStandIn, commentId: number): string[] {
  return github.reactions.filter((r) => r.comment === commentId).map((r) => r.content);
}

/** Calls `then` once, right after the first request that matches `when` is answered. */
function after(github: GitHubStandIn, when: (req: Request) => boolean, then: () => void): void {
  const handle = github.handle.bind(github);
  let done = false;
  github.handle = (req) => {
    const answer = handle(req);
    if (!done && when(req)) {
      done = true;
      then();
    }
    return answer;
  };
}

describe('/pause and /resume on the dashboard', () => {
  it('pause a running sweep after its batch and go on with it, with eyes and +1 and no reply needed', async () => {
    const github = sweepRepo(7);
    // While the first batch runs, a maintainer comments /pause on the new dashboard (issue #8).
    let pause = 0;
    after(
      github,
      (req) =>
        req.method === 'PATCH' &&
        req.path.endsWith('/issues/8') &&
        /batch 1 started/.test(String((req.body as { body?: string })?.body)),
      () => {
        pause = github.addComment(8, 'maya', '/pause while we fix the prompt').id;
      },
    );
    const first = await sweepJob(github, models, inRun('1'));
    expect(first.sweeps[0]).toMatchObject({ outcome: 'paused', advanced: 5 });
    const paused = dashboardOf(github).state;
    expect(paused.current).toMatchObject({
      status: 'paused',
      reason: 'paused by @maya: while we fix the prompt',
    });
    expect(paused.cursor).toBe(pause);
    expect(reactionsTo(github, pause)).toEqual(['eyes', '+1']);
    expect(repliesTo(github, pause)).toEqual([]);

    const refused = github.addComment(8, 'rudy', '/resume').id;
    const resume = github.addComment(8, 'maya', '/resume').id;
    const second = await sweepJob(github, models, { ...inRun('2'), offsetMs: 60_000 });
    expect(second.sweeps[0]?.outcome).toBe('completed');
    expect(repliesTo(github, refused)).toEqual([
      '@rudy cannot resume sweeps: it needs write permission, and @rudy has read. Who may pause, resume or retry sweeps: anyone with write permission on this repository.',
    ]);
    expect(reactionsTo(github, refused)).toEqual(['eyes']);
    expect(reactionsTo(github, resume)).toEqual(['eyes', '+1']);
    expect(repliesTo(github, resume)).toEqual([]);
    const { state } = dashboardOf(github);
    expect(state.current?.stages.edit?.waiting).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(state.current?.runs).toEqual([
      'https://github.com/acme/widgets/actions/runs/1',
      'https://github.com/acme/widgets/actions/runs/2',
    ]);
  }, 60_000);
});

describe('dashboard commands with nothing to act on, or that belong on an item', () => {
  it('are answered once, even when the job dies after replying and the next job applies them again', async () => {
    const github = sweepRepo(3);
    await sweepJob(github, models, { runId: '1' }); // the sweep completes; #1-#3 wait at the editor's gate
    const dashboard = dashboardOf(github).number;
    const pause = github.addComment(dashboard, 'maya', '/pause').id;
    const resume = github.addComment(dashboard, 'maya', '/resume').id;
    const approve = github.addComment(dashboard, 'maya', 'Looks good.\n\n/approve').id;
    const typo = github.addComment(dashboard, 'maya', '/pasue').id;
    const help = github.addComment(dashboard, 'rudy', '/flowgate help').id;

    // The job replies, then dies on its state write (GitHub answers 500 and it does not retry).
    github.failures.push({
      method: 'PATCH',
      path: new RegExp(`/issues/${dashboard}$`),
      status: 500,
      thenSucceed: false,
    });
    await expect(sweepJob(github, models, { runId: '2', offsetMs: 60_000 })).rejects.toThrow();
    expect(dashboardOf(github).state.cursor).toBeLessThan(pause);
    const once = github.comments.filter((c) => c.type === 'Bot').length;

    // The dead job's lease runs out (900 s); the next job takes it over and applies the comments again.
    const third = await sweepJob(github, models, { runId: '3', offsetMs: 1_000_000 });
    expect(third.sweeps[0]?.outcome).toBe('empty');
    const fourth = await sweepJob(github, models, { runId: '4', offsetMs: 1_100_000 });
    expect(fourth.sweeps[0]?.outcome).toBe('empty');
    expect(github.comments.filter((c) => c.type === 'Bot')).toHaveLength(once);
    expect(dashboardOf(github).state.cursor).toBe(help);

    expect(repliesTo(github, pause)).toEqual([
      expect.stringMatching(
        /^Nothing is running: sweep `.+` completed .+ UTC, so there is nothing to pause\. The next sweep starts on schedule, or with a run now of the sweep workflow\.$/,
      ),
    ]);
    expect(repliesTo(github, resume)).toEqual([
      expect.stringMatching(/^Sweep `.+` completed .+ UTC: there is nothing to resume\./),
    ]);
    expect(repliesTo(github, approve)).toEqual([
      "`/approve` decides the gate of one item's run: comment it on that item's issue or pull request, not on this dashboard. Items of this sweep waiting for people: #1, #2, #3 (at edit). This dashboard takes `/pause [stage]`, `/resume [stage]`, `/retry failed [stage]`, `/status` and `/flowgate help`.",
    ]);
    expect(repliesTo(github, typo)).toEqual(['"/pasue" is not a flowgate command (did you mean "/pause"?)']);
    expect(repliesTo(github, help)[0]).toMatch(/^\*\*Commands on this dashboard\*\*/);
    // Eyes on every command (the re-run reacts again, which GitHub counts once); none on the near miss; no +1.
    for (const c of [pause, resume, approve, help])
      expect(new Set(reactionsTo(github, c))).toEqual(new Set(['eyes']));
    expect(reactionsTo(github, typo)).toEqual([]);
  }, 60_000);
});
