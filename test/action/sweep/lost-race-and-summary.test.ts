import { beforeEach, describe, expect, it } from 'vitest';
import { decodeSweepState, encodeSweepState } from '../../../src/core/sweep/index.ts';
import type { GitHubStandIn } from '../../support/github-stand-in.ts';
import type { ModelServer } from '../../support/model-server.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import { STATE_KEY, sharedModelServer, sweepJob, sweepRepo } from './sweep-fixture.ts';

const model = sharedModelServer();
let models: ModelServer;
beforeEach(() => {
  models = model();
});

function dashboardState(github: GitHubStandIn, number: number) {
  const decoded = decodeSweepState(github.issues.get(number)?.body ?? '', STATE_KEY, REPO_ID);
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.state;
}

describe('a job that finds another job wrote the dashboard in between', () => {
  it('stops without writing, reports the sweep as lost, and is not an error', async () => {
    const github = sweepRepo(4);
    const dashboard = 5;
    // Once the first batch is written, another job (same key) writes the dashboard before this job's next write.
    const handle = github.handle.bind(github);
    let batchWritten = false;
    let raced = false;
    let theirs = -1;
    github.handle = (req) => {
      const path = `/repos/acme/widgets/issues/${dashboard}`;
      if (!raced && batchWritten && req.method === 'GET' && req.path === path) {
        raced = true;
        const issue = github.issues.get(dashboard);
        const body = issue?.body ?? '';
        const state = dashboardState(github, dashboard);
        theirs = state.rev + 7;
        if (issue !== undefined) {
          issue.body = `${body.slice(0, body.indexOf('<!-- flowgate:sweep'))}${encodeSweepState({ ...state, rev: theirs }, STATE_KEY, REPO_ID)}`;
        }
      }
      const answer = handle(req);
      if (req.method === 'PATCH' && req.path === path) {
        batchWritten ||= /batch 1 started/.test(String((req.body as { body?: string }).body));
      }
      return answer;
    };
    const logs: string[] = [];
    const result = await sweepJob(github, models, { logs });
    expect(raced).toBe(true);
    expect(result.ok).toBe(true);
    expect(result.sweeps[0]).toMatchObject({ outcome: 'lost', dashboard });
    expect(result.sweeps[0]?.message).toMatch(
      /^the dashboard #5 was written by another sweep job \(rev \d+, this job expected \d+\): this job stops$/,
    );
    // Nothing was written over the other job's state, and no item went on after the race: the job learns of it at
    // its next dashboard write, the end of the batch (the item being worked on is written at most every 2 minutes).
    expect(dashboardState(github, dashboard).rev).toBe(theirs);
    expect(result.sweeps[0]?.advanced).toBe(4);
    expect(github.comments.filter((c) => /flowgate:output/.test(c.body))).toHaveLength(4);
    expect(logs.at(-1)).toContain('was written by another sweep job');
  }, 60_000);
});

describe("the job's summary", () => {
  it('holds each sweep as it stands when the job lets go of it, with a link to its dashboard', async () => {
    const github = sweepRepo(3);
    const result = await sweepJob(github, models);
    expect(result.sweeps[0]?.outcome).toBe('completed');
    const markdown = result.markdown;
    expect(markdown).toMatch(
      /^### Brief sweeps \(`briefs`\)\n\nsweep \S+ is completed · \[dashboard\]\(https:\/\/github\.com\/acme\/widgets\/issues\/4\) {2}\nThis job advanced 6 item stage runs\./,
    );
    expect(markdown).toContain('| outline | 3 | 3 | 0 | 0 | 0 | 0 | — |');
    expect(markdown).toContain("| edit (a person's gate) | 3 | 3 | 0 | 0 | 0 | 3 | — |");
    expect(markdown).toContain('- at edit: #1, #2, #3');
    expect(markdown).not.toContain('**Lease:**');
    expect(result.summary).toEqual([
      expect.stringMatching(/^briefs: sweep \S+ is completed \(dashboard #4\)$/),
    ]);
  }, 60_000);

  it('says why no sweep ran, when none did', async () => {
    const github = sweepRepo(0);
    const result = await sweepJob(github, models);
    expect(result.markdown).toBe(
      '### Brief sweeps (`briefs`)\n\nno open item matches on.schedule.select · [dashboard](https://github.com/acme/widgets/issues/1)  \nThis job advanced no item.',
    );
  });
});
