import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateBlock } from '../../../src/core/state/decode-state.ts';
import { REPO_ID } from '../../support/state-keys.ts';
import { briefsWorkflow, STATE_KEY, SweepRig } from './sweep-process-fixture.ts';

// The bundled Action (action/dist) as a runner starts a sweep job, with a GitHub App installation token instead of
// the workflow's GITHUB_TOKEN (docs/sweeps.md §15): it posts as the app's bot, not as github-actions[bot].

const INSTALLATION_TOKEN = 'ghs_installation';
const BOT = 'acme-flowgate[bot]';

const rigs: SweepRig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
});

async function rig(): Promise<SweepRig> {
  const started = await SweepRig.start(6, briefsWorkflow({ batchSize: 3 }));
  started.github.tokenLogins.set(INSTALLATION_TOKEN, BOT);
  rigs.push(started);
  return started;
}

function stateOf(r: SweepRig, item: number) {
  const status = r.github.comments.find(
    (c) => c.issue === item && c.body.includes('<!-- flowgate:status run='),
  );
  if (status === undefined) return undefined;
  const decoded = decodeStateBlock(status.body, STATE_KEY, { id: REPO_ID, number: item });
  if (!decoded.ok) throw new Error(decoded.message);
  return { author: status.login, stage: decoded.state.stage, status: decoded.state.status };
}

describe('a sweep with a GitHub App installation token', () => {
  it("posts as the app's bot, reads its own outputs, and brings every item to the editor gate", async () => {
    const r = await rig();
    const run = await r.sweep({
      runId: '71',
      with: { 'github-token': INSTALLATION_TOKEN, 'github-token-login': BOT },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(r.dashboard().state.current?.status).toBe('completed');
    for (const item of [1, 2, 3, 4, 5, 6]) {
      expect(stateOf(r, item)).toEqual({ author: BOT, stage: 'edit', status: 'awaiting_approval' });
    }
    // Every output came from the app's bot, and no comment was written as github-actions[bot].
    const outputs = r.github.comments.filter((c) => c.body.includes('flowgate:output'));
    expect(outputs).toHaveLength(12);
    expect(new Set(r.github.comments.filter((c) => c.issue <= 6).map((c) => c.login))).toEqual(
      new Set([BOT]),
    );
  }, 120_000);

  it('stops at its first output when the token posts as a bot it was not told of, saying what to set', async () => {
    const r = await rig();
    const run = await r.sweep({ runId: '73', with: { 'github-token': INSTALLATION_TOKEN } });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(
      `the Action posts as @${BOT}, whose outputs it reads only when told: set the input "github-token-login" to "${BOT}"`,
    );
    // One output, then the job stopped: no item went on as if its output had been lost.
    expect(r.github.comments.filter((c) => c.body.includes('flowgate:output'))).toHaveLength(1);
    expect(r.models.requests).toHaveLength(1);
    // It let go of the lease: the next job, set up right, goes on at once with the sweep, from the first item.
    expect(r.dashboard().state.lease).toBeUndefined();
    const next = await r.sweep({
      runId: '74',
      with: { 'github-token': INSTALLATION_TOKEN, 'github-token-login': BOT },
    });
    expect(next.code, next.stdout).toBe(0);
    expect(stateOf(r, 1)).toEqual({ author: BOT, stage: 'edit', status: 'awaiting_approval' });
    expect(stateOf(r, 6)).toEqual({ author: BOT, stage: 'edit', status: 'awaiting_approval' });
    // The output posted before the stop was taken, not made again.
    expect(r.models.requests).toHaveLength(12);
  }, 120_000);

  it('refuses a login that is not a bot before anything is written, saying what to set', async () => {
    const r = await rig();
    const run = await r.sweep({
      runId: '72',
      with: { 'github-token': INSTALLATION_TOKEN, 'github-token-login': 'maya' },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(
      'the input "github-token-login" must name the bot a GitHub App installation token posts as, such as "acme-flowgate[bot]", not "maya"',
    );
    // Refused before anything was written.
    expect(r.github.comments).toHaveLength(0);
  }, 120_000);
});
