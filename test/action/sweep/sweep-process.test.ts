import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateBlock } from '../../../src/core/state/decode-state.ts';
import type { BundledRun } from '../../support/run-bundled-action.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import { briefsWorkflow, repeated, STATE_KEY, SweepRig, tally } from './sweep-process-fixture.ts';

// The bundled Action (action/dist: run `npm run build:action` after changing src/) as a runner starts a sweep
// job, against a GitHub stand-in served on 127.0.0.1 with 200 open issues and a scripted model server.

/** The open issues of every repository here; `limit` keeps a scenario's sweep smaller where 200 add nothing. */
const OPEN_ISSUES = 200;
/** What the scripted model reports for each call. */
const TOKENS_PER_CALL = 15;
/** The Action's lease between renewals (run-sweep.ts). */
const LEASE_SECONDS = 900;

const rigs: SweepRig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
});

async function rig(options: Parameters<typeof briefsWorkflow>[0]): Promise<SweepRig> {
  const started = await SweepRig.start(OPEN_ISSUES, briefsWorkflow(options));
  rigs.push(started);
  return started;
}

/** 1..n */
function upTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** `#<item> <stage>` for items 1..n at each stage: what each of two model calls per item was for. */
function everyCall(n: number): string[] {
  return upTo(n).flatMap((i) => [`#${i} outline`, `#${i} edit`]);
}

/** The run of the briefs workflow on each item, from its status comment. */
function runsOf(r: SweepRig, items: readonly number[]) {
  return items.map((item) => {
    const status = r.github.comments.find(
      (c) => c.issue === item && c.body.includes('<!-- flowgate:status run='),
    );
    if (status === undefined) return { item, status: 'no run' };
    const decoded = decodeStateBlock(status.body, STATE_KEY, { id: REPO_ID, number: item });
    if (!decoded.ok) throw new Error(decoded.message);
    return { item, status: decoded.state.status, stage: decoded.state.stage };
  });
}

describe('a scheduled sweep job of the bundled Action', () => {
  it('takes 200 issues stage by stage, two model calls each, until every one waits at the editor gate', async () => {
    const batchSize = 50;
    const r = await rig({ batchSize });
    const t0 = Date.now();
    const run = await r.sweep({ runId: '5001' });
    const seconds = (Date.now() - t0) / 1000;

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.summary).toMatch(
      /^sweep \S+-run-5001 is completed · \[dashboard\]\(https:\/\/github\.com\/acme\/widgets\/issues\/201\)/m,
    );
    expect(run.summary).toContain('This job advanced 400 item stage runs.');
    const { state, body } = r.dashboard();
    expect(state.lease).toBeUndefined();
    expect(state.current).toMatchObject({ status: 'completed', selected: OPEN_ISSUES, trigger: 'cron' });
    const outline = state.current?.stages.outline;
    const edit = state.current?.stages.edit;
    expect(outline).toMatchObject({
      done: upTo(OPEN_ISSUES),
      pending: [],
      started: [],
      waiting: [],
      failed: [],
    });
    expect(outline?.batches).toBe(OPEN_ISSUES / batchSize);
    expect(edit).toMatchObject({
      done: [],
      pending: [],
      started: [],
      waiting: upTo(OPEN_ISSUES),
      failed: [],
    });
    expect(edit?.batches).toBe(OPEN_ISSUES / batchSize);
    expect(state.current?.spend.tokens).toBe(2 * OPEN_ISSUES * TOKENS_PER_CALL);
    // What people see on the dashboard: per stage, the queue, processed, remaining, failed, skipped, waiting.
    const n = OPEN_ISSUES;
    expect(body).toContain(`${2 * n} of ${2 * n} stage runs`);
    expect(body).toContain(`| outline | ${n} | ${n} | 0 | 0 | 0 | 0 | — |`);
    expect(body).toContain(`| edit (a person's gate) | ${n} | ${n} | 0 | 0 | 0 | ${n} | — |`);

    // Exactly two model calls per item, every outline before any edit (stage by stage), none twice.
    const calls = r.modelCalls();
    expect([...calls].sort()).toEqual(everyCall(OPEN_ISSUES).sort());
    expect(calls.findLastIndex((c) => c.endsWith(' outline'))).toBeLessThan(
      calls.findIndex((c) => c.endsWith(' edit')),
    );
    // Each response is posted once, and each item's run waits for an editor at `edit`.
    expect([...r.responses()].sort()).toEqual(everyCall(OPEN_ISSUES).sort());
    const runs = runsOf(r, upTo(OPEN_ISSUES));
    expect(runs.filter((s) => s.status !== 'awaiting_approval' || s.stage !== 'edit')).toEqual([]);

    const byRoute = [...tally(r.calls)].sort((a, b) => b[1] - a[1]);
    console.log(
      `sweep of ${OPEN_ISSUES} issues in one job: ${seconds.toFixed(1)} s, ${r.calls.length} GitHub API calls, ` +
        `${(r.calls.length / OPEN_ISSUES).toFixed(2)} per item\n${byRoute
          .map(([route, n]) => `  ${(n / OPEN_ISSUES).toFixed(3).padStart(7)} per item  ${n}  ${route}`)
          .join('\n')}`,
    );
  }, 120_000);
});

describe('/pause on the dashboard while a sweep job runs', () => {
  it('stops the job after its batch; /resume lets the next job finish, generating nothing twice', async () => {
    const items = 12;
    const batchSize = 4;
    const pauseAt = 6; // the 6th model call: in the second batch
    const r = await rig({ batchSize, limit: items });
    r.models.onRequest = (_request, index) => {
      if (index + 1 === pauseAt)
        r.github.addComment(r.dashboard().number, 'maya', '/pause for the style review');
    };
    const first = await r.sweep({ runId: '5101' });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.summary).toMatch(/is paused \(.*for the style review.*\)/);
    // The batch in flight finished and was recorded; no other batch started.
    const pausedAfter = Math.ceil(pauseAt / batchSize) * batchSize;
    expect(r.models.requests).toHaveLength(pausedAfter);
    let { state } = r.dashboard();
    expect(state.current?.status).toBe('paused');
    expect(state.lease).toBeUndefined();
    expect(state.current?.stages.outline).toMatchObject({ done: upTo(pausedAfter), started: [] });

    r.models.onRequest = undefined;
    r.github.addComment(r.dashboard().number, 'maya', '/resume');
    const second = await r.sweep({ runId: '5102' });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.summary).toMatch(/sweep \S+-run-5101 is completed/);
    state = r.dashboard().state;
    expect(state.current?.status).toBe('completed');
    expect(state.current?.stages.edit?.waiting).toEqual(upTo(items));
    // Two model calls per item over both jobs, none repeated; each response comment exists once.
    expect(repeated(r.modelCalls())).toEqual([]);
    expect([...r.modelCalls()].sort()).toEqual(everyCall(items).sort());
    expect([...r.responses()].sort()).toEqual(everyCall(items).sort());
    expect(state.current?.spend.tokens).toBe(2 * items * TOKENS_PER_CALL);
  }, 60_000);
});

describe('a second sweep job while the first holds the lease', () => {
  it('is refused, names the holder, and writes nothing; the first goes on', async () => {
    const items = 4;
    const r = await rig({ batchSize: 4, limit: items });
    let second: BundledRun | undefined;
    let secondCalls: string[] = [];
    // The first job's first model call holds its answer until the second job, a run now, has ended.
    r.models.onRequest = async (_request, index) => {
      if (index !== 0) return;
      const before = r.calls.length;
      second = await r.sweep({ runId: '5202', trigger: 'run-now' });
      secondCalls = r.calls.slice(before);
    };
    const first = await r.sweep({ runId: '5201' });

    expect(second?.code, `${second?.stdout}${second?.stderr}`).toBe(0);
    expect(second?.summary).toMatch(
      /^run-5201 is working on sweep \S+-run-5201 \(its lease runs until .+\); one sweep runs at a time/m,
    );
    // It only read: no issue, comment, label or dashboard write.
    expect(secondCalls.length).toBeGreaterThan(0);
    expect(secondCalls.filter((c) => !c.startsWith('GET '))).toEqual([]);

    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.summary).toMatch(/sweep \S+-run-5201 is completed/);
    expect([...r.modelCalls()].sort()).toEqual(everyCall(items).sort());
    expect(r.dashboard().state.current).toMatchObject({ trigger: 'cron', actor: 'schedule' });
  }, 60_000);
});

// What a crash costs, exactly: a stage whose output comment reached GitHub is never generated again (the next job
// reads the item's run and its output there); only a model call whose answer the killed job never got is made
// again, once. Output comments are upserted by their marker: each exists once either way.
describe('a sweep job killed mid-batch', () => {
  const items = 8;
  const batchSize = 4;

  it('while a model call is in flight: keeps its lease until it expires; the next job takes over and makes that one call again', async () => {
    const killAt = 6; // the 6th model call: #6's outline, in the second batch
    const r = await rig({ batchSize, limit: items });
    const kill = new AbortController();
    r.models.onRequest = (_request, index) => {
      if (index + 1 === killAt) kill.abort();
    };
    const crashed = await r.sweep({ runId: '5301', signal: kill.signal });
    expect(crashed.code).toBeNull();
    r.models.onRequest = undefined;
    let { state } = r.dashboard();
    // The crash left the second batch started, and the lease held.
    expect(state.current?.status).toBe('running');
    expect(state.current?.stages.outline).toMatchObject({
      done: upTo(batchSize),
      started: upTo(2 * batchSize).slice(batchSize),
    });
    expect(state.lease?.holder).toBe('run-5301');

    // A job now (a run now, say) finds the lease still running and leaves the sweep alone.
    const early = await r.sweep({ runId: '5302', trigger: 'run-now' });
    expect(early.code, early.stdout + early.stderr).toBe(0);
    expect(early.summary).toMatch(/run-5301 is working on sweep .*one sweep runs at a time/);
    expect(r.models.requests).toHaveLength(killAt);

    // The next cron job, after the lease expired, takes the sweep over: the started batch first.
    r.later((LEASE_SECONDS + 60) * 1000);
    const next = await r.sweep({ runId: '5303' });
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toContain('took over the sweep lease of run-5301, which expired');
    expect(next.summary).toMatch(/sweep \S+-run-5301 is completed/);
    state = r.dashboard().state;
    expect(state.lease).toBeUndefined();
    expect(state.current?.stages.outline?.done).toEqual(upTo(items));
    expect(state.current?.stages.edit?.waiting).toEqual(upTo(items));

    expect(repeated(r.modelCalls())).toEqual([`#${killAt} outline`]);
    expect(r.models.requests).toHaveLength(2 * items + 1);
    // The sweep counts what its jobs were answered: the call cut off by the kill is not in its spending.
    expect(state.current?.spend.tokens).toBe(2 * items * TOKENS_PER_CALL);
    expect([...r.responses()].sort()).toEqual(everyCall(items).sort());
    const runs = runsOf(r, upTo(items));
    expect(runs.filter((s) => s.status !== 'awaiting_approval' || s.stage !== 'edit')).toEqual([]);
  }, 60_000);

  it('just after an output was posted, before its run took it in: the next job generates nothing again', async () => {
    const r = await rig({ batchSize, limit: items });
    const kill = new AbortController();
    // Killed as GitHub stores #6's outline response: its status comment still waits for it.
    r.onAnswered = (request) => {
      const body = (request.body as { body?: unknown } | undefined)?.body;
      if (
        request.method === 'POST' &&
        request.path.endsWith('/issues/6/comments') &&
        String(body).includes('"kind":"response"')
      )
        kill.abort();
    };
    const crashed = await r.sweep({ runId: '5311', signal: kill.signal });
    expect(crashed.code).toBeNull();
    r.onAnswered = undefined;
    expect(runsOf(r, [6])).toEqual([{ item: 6, status: 'running', stage: 'outline' }]);
    expect(r.responses()).toContain('#6 outline');

    r.later((LEASE_SECONDS + 60) * 1000);
    const next = await r.sweep({ runId: '5312' });
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.summary).toMatch(/sweep \S+-run-5311 is completed/);
    expect(repeated(r.modelCalls())).toEqual([]);
    expect([...r.modelCalls()].sort()).toEqual(everyCall(items).sort());
    expect([...r.responses()].sort()).toEqual(everyCall(items).sort());
    const runs = runsOf(r, upTo(items));
    expect(runs.filter((s) => s.status !== 'awaiting_approval' || s.stage !== 'edit')).toEqual([]);
  }, 60_000);
});

describe('the budget of a sweep', () => {
  it('refuses a sweep whose estimate is over it before anything starts, with the numbers, as the job error', async () => {
    const items = 20;
    const r = await rig({ batchSize: 10, limit: items, budget: 'max_tokens: 500', estimateTokens: 15 });
    const run = await r.sweep({ runId: '5401' });
    expect(run.code).not.toBe(0);
    const numbers = `about ${2 * items * 15} tokens (outline: ${items} × 15 = ${items * 15}; edit: ${items} × 15 = ${items * 15}), over its budget of 500 (on.schedule.budget.max_tokens)`;
    expect(run.summary).toContain(numbers);
    // The step fails with it (an annotation on the run).
    expect(run.stdout.split('\n').find((line) => line.startsWith('::error::'))).toContain(numbers);
    expect(r.models.requests).toHaveLength(0);
    const { state } = r.dashboard();
    expect(state.current).toBeUndefined();
    expect(state.lease).toBeUndefined();
    expect(state.events.at(-1)?.what).toMatch(/^no sweep started: .*over its budget of 500/);
  }, 30_000);

  it('stops a sweep once its spending reaches it, after the batch in flight, and /resume does not go past it', async () => {
    const items = 12;
    const batchSize = 4;
    const maxTokens = 100;
    // Estimated at 1 token per stage, the sweep starts; each call really uses 15.
    const r = await rig({ batchSize, limit: items, budget: `max_tokens: ${maxTokens}`, estimateTokens: 1 });
    const run = await r.sweep({ runId: '5501' });
    // The job that stops the sweep fails its step, so the Actions run shows it.
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const batches = Math.ceil(maxTokens / (batchSize * TOKENS_PER_CALL));
    const spent = batches * batchSize * TOKENS_PER_CALL;
    expect(run.summary).toContain(
      `is budget_stopped (the sweep has used ${spent} tokens, reaching its budget of ${maxTokens} (on.schedule.budget.max_tokens))`,
    );
    expect(r.models.requests).toHaveLength(batches * batchSize);
    let { state } = r.dashboard();
    expect(state.current).toMatchObject({ status: 'budget_stopped', spend: { tokens: spent } });
    expect(spent).toBeGreaterThanOrEqual(maxTokens);
    expect(state.current?.stages.outline?.done).toEqual(upTo(batches * batchSize));
    expect(state.lease).toBeUndefined();

    // /resume without a higher budget: the next job stops again at once, calling no model.
    r.github.addComment(r.dashboard().number, 'maya', '/resume');
    const again = await r.sweep({ runId: '5502' });
    expect(again.code, again.stdout + again.stderr).toBe(1);
    expect(again.summary).toMatch(/is budget_stopped/);
    expect(r.models.requests).toHaveLength(batches * batchSize);
    state = r.dashboard().state;
    expect(state.current?.status).toBe('budget_stopped');
  }, 60_000);
});
