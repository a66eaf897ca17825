import { beforeEach, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../support/model-server.ts';
import { dashboardOf, sharedModelServer, sweepJob, sweepRepo } from './sweep-fixture.ts';

const model = sharedModelServer();
let models: ModelServer;
beforeEach(() => {
  models = model();
});

const labelWrites = (log: string[], n: number) =>
  log.filter((line) => new RegExp(`^(POST|PUT|DELETE) /repos/acme/widgets/issues/${n}/labels`).test(line));

describe('what a sweep writes for each item (docs/sweeps.md §15)', () => {
  it('one label write per item, no notice per item at the gate, the end notice names them all', async () => {
    const github = sweepRepo(4);
    const result = await sweepJob(github, models);
    expect(result.sweeps[0]?.outcome).toBe('completed');
    for (const n of [1, 2, 3, 4]) {
      // Started, moved from outline to edit, waiting at the gate: one write, made when the item waits for people.
      expect(labelWrites(github.log, n)).toHaveLength(1);
      expect(github.issues.get(n)?.labels).toEqual([
        'brief',
        'flowgate: edit',
        'flowgate: awaiting approval',
      ]);
      // The status comment, the two outputs: no gate notice on the item.
      expect(github.botComments(n).map((c) => c.body.match(/flowgate:(\w+)/)?.[1])).toEqual([
        'status',
        'output',
        'output',
      ]);
    }
    const { number: dashboard } = dashboardOf(github);
    const notice = github.comments.filter((c) => c.issue === dashboard && /Sweep `/.test(c.body));
    expect(notice).toHaveLength(1);
    expect(notice[0]?.body).toContain('waiting at `edit`: #1, #2, #3, #4');
  }, 60_000);

  it('asks GitHub who edited a comment only when the version is not one the job wrote', async () => {
    const github = sweepRepo(4);
    await sweepJob(github, models);
    // The only GraphQL request is the dashboard's pin (a mutation); no comment the job wrote is asked about.
    expect(github.log.filter((line) => line.startsWith('POST /graphql'))).toHaveLength(1);
    // The re-reads of a status comment the job wrote last are conditional and answered 304 (free).
    expect(
      github.log.filter((line) => /^GET \/repos\/acme\/widgets\/issues\/comments\/\d+/.test(line)).length,
    ).toBe(16);
  }, 60_000);

  it('writes the dashboard at the start, once per batch and at the end, not once per item', async () => {
    const github = sweepRepo(10);
    await sweepJob(github, models);
    const { number: dashboard } = dashboardOf(github);
    const writes = github.log.filter((line) =>
      new RegExp(`^PATCH /repos/acme/widgets/issues/${dashboard}(\\s|$)`).test(line),
    );
    // The sweep's start; two batches of 5 at each of two stages; the end. The item being worked on shows at most
    // every 2 minutes, which this quick job never reaches.
    expect(writes).toHaveLength(1 + 4 + 1);
  }, 60_000);
});

describe('a status comment someone edits while a sweep works on the item', () => {
  it('is asked about and not trusted: a rollback to an older signed version is undone, said, and the run goes on', async () => {
    const github = sweepRepo(4);
    github.permissions.set('mallory', 'write');
    let first: string | undefined;
    let forged = false;
    const statusOf1 = () => github.botComments(1).find((c) => c.body.includes('flowgate:status'));
    models.onRequest = (request) => {
      const prompt = JSON.stringify(request.body);
      // #1's status comment as it was while its outline was written (a signed state, older than the job's last).
      const outline = prompt.includes('Outline the article');
      if (outline && prompt.includes('Brief 1')) first = statusOf1()?.body;
      // While the outline of #4 is written, mallory puts it back.
      if (!forged && outline && prompt.includes('Brief 4')) {
        const status = statusOf1();
        if (status === undefined || first === undefined) throw new Error('no status comment on #1');
        github.editComment(status.id, 'mallory', first);
        forged = true;
      }
    };
    const result = await sweepJob(github, models);
    expect(forged).toBe(true);
    expect(result.sweeps[0]?.outcome).toBe('completed');
    // The job asked GitHub who edited it last (the dashboard's pin is the other GraphQL request)...
    expect(github.log.filter((line) => line.startsWith('POST /graphql')).length).toBeGreaterThan(1);
    // ...put back the state it wrote last, said so on the item, and #1 went on from that state to its edit.
    const notice = github.botComments(1).find((c) => c.body.includes('@mallory edited the status comment'));
    expect(notice?.body).toMatch(
      /setting the run back from rev 2 to rev 1\. .*put back the state it last wrote \(rev 2\)/,
    );
    expect(statusOf1()?.body).toContain('Waiting for approval of the edit');
    expect(models.requests.filter((r) => JSON.stringify(r.body).includes('Edit this outline'))).toHaveLength(
      4,
    );
  }, 60_000);
});
