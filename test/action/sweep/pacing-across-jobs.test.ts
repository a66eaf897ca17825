import { beforeEach, describe, expect, it } from 'vitest';
import { decodeSweepState, type PaceLimits } from '../../../src/core/sweep/index.ts';
import type { GitHubStandIn } from '../../support/github-stand-in.ts';
import type { ModelServer } from '../../support/model-server.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import { STATE_KEY, sharedModelServer, sweepJob, sweepRepo } from './sweep-fixture.ts';

const model = sharedModelServer();
let models: ModelServer;
beforeEach(() => {
  models = model();
});

/** Eight writes a minute, no gap: small enough that a three-item sweep fills minute after minute. */
const LIMITS: PaceLimits = { per_minute: 8, per_hour: 500, min_gap_ms: 0 };

/** A clock the jobs share: it moves only when a job sleeps, as a pacer's wait would move it. */
function fakeClock(start: number) {
  const clock = {
    ms: start,
    sleeps: [] as number[],
    now: () => new Date(clock.ms).toISOString(),
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.ms += ms;
    },
  };
  return clock;
}

/** The times of every write the stand-in answers (the requests GitHub would count), by the shared clock. */
function recordWrites(github: GitHubStandIn, clock: { ms: number }): number[] {
  const writes: number[] = [];
  const handle = github.handle.bind(github);
  github.handle = (req) => {
    // A GraphQL query (who last edited a comment) reads; a mutation (pinning the dashboard) writes, as pace-writes has it.
    const query =
      req.path === '/graphql' && /^\s*query\b/.test(String((req.body as { query?: unknown })?.query));
    if (req.method !== 'GET' && !query) writes.push(clock.ms);
    return handle(req);
  };
  return writes;
}

function busiestMinute(writes: readonly number[]): number {
  return Math.max(...writes.map((t) => writes.filter((u) => u > t - 60_000 && u <= t).length));
}

describe('pacing across jobs', () => {
  it('makes a second job wait when the first used up the minute', async () => {
    // No item matches: each job only opens the dashboard and writes it once.
    const github = sweepRepo(0);
    const clock = fakeClock(Date.now());
    const writes = recordWrites(github, clock);
    const limits = { per_minute: 3, per_hour: 500, min_gap_ms: 0 };
    const job = (runId: string) =>
      sweepJob(github, models, { runId, extra: { now: clock.now, sleep: clock.sleep, pace: limits } });

    const first = await job('1');
    expect(first.sweeps[0]?.outcome).toBe('empty');
    // Creating the dashboard, pinning it (a GraphQL mutation), writing the state: the minute's three writes.
    expect(writes).toEqual([clock.ms, clock.ms, clock.ms]);
    expect(clock.sleeps).toEqual([]);
    const start = clock.ms;

    const second = await job('2');
    expect(second.sweeps[0]?.outcome).toBe('empty');
    expect(clock.sleeps).toEqual([60_000]);
    expect(writes).toEqual([start, start, start, start + 60_000]);
  }, 60_000);

  it('never lets a minute hold more writes than the limit, within a job or across two', async () => {
    const github = sweepRepo(3);
    const clock = fakeClock(Date.now());
    const writes = recordWrites(github, clock);
    const job = (runId: string) =>
      sweepJob(github, models, { runId, extra: { now: clock.now, sleep: clock.sleep, pace: LIMITS } });

    const first = await job('1');
    expect(first.sweeps[0]?.outcome).toBe('completed');
    const firstWrites = writes.length;
    expect(firstWrites).toBeGreaterThan(3 * LIMITS.per_minute); // the first job had to wait, minute after minute
    const { state } = decodeDashboard(github);
    expect(state.pace?.counts.reduce((a, b) => a + b, 0)).toBe(firstWrites);
    expect(state.pace?.last).toBe(new Date(writes.at(-1) ?? 0).toISOString());

    const second = await job('2');
    expect(second.sweeps[0]?.outcome).toBe('empty');
    expect(writes.length).toBe(firstWrites + 1);
    expect(busiestMinute(writes)).toBeLessThanOrEqual(LIMITS.per_minute);
  }, 60_000);

  it('does not make a job wait for writes more than a minute old', async () => {
    const github = sweepRepo(0);
    const clock = fakeClock(Date.now());
    recordWrites(github, clock);
    const limits = { per_minute: 3, per_hour: 500, min_gap_ms: 0 };
    const job = (runId: string) =>
      sweepJob(github, models, { runId, extra: { now: clock.now, sleep: clock.sleep, pace: limits } });
    await job('1');
    clock.ms += 61_000;
    expect((await job('2')).sweeps[0]?.outcome).toBe('empty');
    expect(clock.sleeps).toEqual([]);
  }, 60_000);
});

function decodeDashboard(github: GitHubStandIn) {
  const entry = [...github.issues.entries()].find(([, i]) => i.title === 'Brief sweeps');
  const decoded = decodeSweepState(entry?.[1].body ?? '', STATE_KEY, REPO_ID);
  if (!decoded.ok) throw new Error(decoded.message);
  return { number: entry?.[0], state: decoded.state };
}
