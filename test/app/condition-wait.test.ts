import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';

/** `plan` leaves for `build` once the issue is labelled "ready" and not "blocked", or for `done` on "wontfix". */
const SHIP = readFileSync(new URL('../fixtures/condition-wait.yml', import.meta.url), 'utf8');

async function label(h: AppHarness, action: 'labeled' | 'unlabeled', name: string, by = 'alice') {
  const labels = h.github.issues.get(3)?.labels ?? [];
  if (action === 'labeled') labels.push(name);
  else labels.splice(labels.indexOf(name), 1);
  await h.deliver('issues', action, 3, (p) => {
    p.label = { name };
    p.sender.login = by;
    p.sender.type = 'User';
  });
}

/** A run of `ship` on #3 whose plan is written; no label lets it move on yet. */
async function planWaiting() {
  const h = new AppHarness({ '.github/flowgate/ship.yml': SHIP }, { alice: 'write', bob: 'maintain' });
  h.newIssue(3, 'carol', 'Export to CSV');
  await label(h, 'labeled', 'flowgate:ship');
  await h.answerLastDispatch(3);
  return h;
}

function statusBody(h: AppHarness): string {
  return h.github.botComments(3).find((c) => c.body.includes('<!-- flowgate:status run='))?.body ?? '';
}

describe('a transition condition that does not hold yet, with no fallback', () => {
  it('keeps the run waiting in the stage, and the status comment names the conditions', async () => {
    const h = await planWaiting();
    expect(h.state(3)).toMatchObject({ stage: 'plan', status: 'running', wait: { for: 'condition' } });
    expect(statusBody(h)).toContain(
      '🔄 **Waiting in plan for a condition: "ready" in labels && !("blocked" in labels) (to build) or "wontfix" in labels (to done)**',
    );
    expect(statusBody(h)).toContain('**Commands:** `/pause` · `/cancel` · `/flowgate goto <stage>`');
    expect(h.github.dispatches.map((d) => d.inputs.stage)).toEqual(['plan']);
  });

  it('moves on when a person adds the label, and the next stage starts', async () => {
    const h = await planWaiting();
    await label(h, 'labeled', 'ready');
    expect(h.state(3)).toMatchObject({ stage: 'build', status: 'running', wait: { for: 'action' } });
    expect(h.state(3).history.find((e) => e.what === 'plan -> build')?.reason).toBe(
      'when "ready" in labels && !("blocked" in labels)',
    );
    expect(h.github.dispatches.map((d) => d.inputs.stage)).toEqual(['plan', 'build']);
  });

  it('moves on when a person removes the label that held it', async () => {
    const h = await planWaiting();
    await label(h, 'labeled', 'blocked');
    await label(h, 'labeled', 'ready');
    expect(h.state(3).stage).toBe('plan');
    await label(h, 'unlabeled', 'blocked');
    expect(h.state(3).stage).toBe('build');
  });

  it('reads the labels of now when the stage is left: a label added while the plan was written counts', async () => {
    const h = new AppHarness({ '.github/flowgate/ship.yml': SHIP }, { alice: 'write' });
    h.newIssue(3, 'carol', 'Export to CSV');
    await label(h, 'labeled', 'flowgate:ship');
    await label(h, 'labeled', 'wontfix');
    await h.answerLastDispatch(3);
    expect(h.state(3)).toMatchObject({ stage: 'done', status: 'completed' });
  });

  it('writes nothing while a later event finds no condition holding', async () => {
    const h = await planWaiting();
    const before = h.state(3).rev;
    const calls = h.github.log.length;
    await label(h, 'labeled', 'documentation');
    await h.comment(3, 'alice', 'Any news here?');
    expect(h.state(3)).toMatchObject({ stage: 'plan', rev: before, wait: { for: 'condition' } });
    const requests = h.github.log.slice(calls).filter((l) => !l.includes('/access_tokens'));
    expect(requests.filter((l) => !l.startsWith('GET'))).toEqual([]);
  });

  it('catches up on a label whose webhook never came with the next event on the subject', async () => {
    const h = await planWaiting();
    h.github.issues.get(3)?.labels.push('ready');
    await h.comment(3, 'alice', 'Labelled it ready.');
    expect(h.state(3).stage).toBe('build');
  });

  it('answers /status and /approve with the conditions it waits on', async () => {
    const h = await planWaiting();
    await h.comment(3, 'alice', '/status');
    await h.comment(3, 'alice', '/approve');
    const [status, approve] = h.replies(3);
    expect(status).toContain(
      '`ship` waits at stage "plan" for a transition condition to hold: `"ready" in labels && !("blocked" in labels)` (to "build") or `"wontfix" in labels` (to "done")',
    );
    expect(approve).toMatch(
      /^Nothing to approve: stage "plan" was approved and waits for a transition condition to hold/,
    );
    expect(h.state(3).stage).toBe('plan');
  });

  it('is moved by /flowgate goto', async () => {
    const h = await planWaiting();
    await h.comment(3, 'bob', '/flowgate goto build');
    expect(h.state(3)).toMatchObject({ stage: 'build', wait: { for: 'action' } });
  });

  it('is ended by /cancel', async () => {
    const h = await planWaiting();
    await h.comment(3, 'alice', '/cancel');
    expect(h.state(3).status).toBe('cancelled');
  });
});
