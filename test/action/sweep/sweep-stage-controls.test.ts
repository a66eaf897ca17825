import { afterEach, describe, expect, it } from 'vitest';
import { SweepRig } from './sweep-process-fixture.ts';

// The bundled Action (action/dist: run `npm run build:action` after changing src/) as a runner starts sweep jobs,
// against a GitHub stand-in served on 127.0.0.1 with three open issues and a scripted model server.

/**
 * outline (batches of 1) -> queue (a system stage: a label, no model) -> edit (an editor approves) -> done, with
 * approvers named in `defaults`. The sweep's own batches hold 3.
 */
const WORKFLOW = `version: 1
name: briefs
on:
  command: briefs
  subject: issue
  schedule:
    cron: "0 2 * * *"
    select: { type: issues, labels: brief, limit: 3 }
    batch_size: 3
    dashboard: { title: "Brief sweeps" }
providers:
  writer: openai/gpt-5-mini
defaults:
  gate: skip
  approvers: { users: [maya], teams: [acme/editors] }
stages:
  - id: outline
    provider: writer
    instructions: "Outline the article {{ subject.title }}."
    batch_size: 1
  - id: queue
    run:
      - add_labels: queued
  - id: edit
    provider: writer
    instructions: "Edit this outline of {{ subject.title }}: {{ outputs.outline }}"
    gate: { approver: manual }
    next: done
  - id: done
    type: terminal
`;

const rigs: SweepRig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
});

/** The bot's comments on the dashboard, oldest first. */
function botComments(r: SweepRig): string[] {
  const dashboard = r.dashboard().number;
  return r.github.comments
    .filter((c) => c.issue === dashboard && c.body.includes('flowgate:reply'))
    .map((c) => c.body);
}

describe('a sweep with per-stage batches, a system stage, stage controls and notices, as the bundled Action', () => {
  it('carries out batch_size per stage, counts the system stage, answers /pause <stage>, /retry failed <stage> and /resume <stage>, and notices each end', async () => {
    const r = await SweepRig.start(3, WORKFLOW);
    rigs.push(r);
    // #2's outline fails: the model refuses its request.
    r.models.onRequest = (request) => {
      const prompt = JSON.stringify(request.body);
      if (prompt.includes('Outline the article') && /Brief 2\b/.test(prompt)) {
        r.models.enqueue({ status: 400, error: 'bad request' });
      }
    };

    // Job 1: outline one item per batch, the system stage within each, edit in one batch of the sweep's size.
    const first = await r.sweep({ runId: '6001' });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    let { state, body } = r.dashboard();
    expect(state.current?.status).toBe('completed');
    expect(state.current?.stages.outline).toMatchObject({ done: [1, 3], batches: 3 });
    expect(state.current?.stages.outline?.failed.map((f) => f.item)).toEqual([2]);
    expect(state.current?.stages.queue).toMatchObject({ done: [1, 3], pending: [], batches: 0 });
    expect(state.current?.stages.edit).toMatchObject({ waiting: [1, 3], batches: 1 });
    expect(r.models.requests).toHaveLength(5); // three outlines (#2's refused), two edits
    expect(body).toContain('· batches of 3 (outline: 1) ·');
    expect(body).toMatch(/\*\*Next scheduled run:\*\* \d{4}-\d\d-\d\d 02:00 UTC \(in /);
    expect(body).toContain('| queue (system) | 2 | 2 | 0 | 0 | 0 | 0 | — |');
    expect(body).toContain('**Progress:** `██████████` 100%');
    const firstNotice = botComments(r).filter((c) => c.includes('sweep-notice'));
    expect(firstNotice).toHaveLength(1);
    expect(firstNotice[0]).toContain('✅ Sweep `');
    expect(firstNotice[0]).toContain('3 items: 0 finished, 2 waiting for people, 1 failed, 0 skipped');
    expect(firstNotice[0]).toContain('- waiting at `edit`: #1, #3');
    expect(firstNotice[0]).toContain('- failed at `outline`: #2 (`/retry failed outline` tries them again)');
    expect(firstNotice[0]).toContain('cc @maya @acme/editors');

    // Job 2 (run now): /pause outline holds the stage; a reader's retry and an unknown stage are refused; the
    // retry of the stage's failed items reopens the sweep, whose only work is then held at the paused stage.
    r.models.onRequest = undefined;
    const dashboard = r.dashboard().number;
    r.github.addComment(dashboard, 'maya', '/pause outline until the model is fixed');
    r.github.addComment(dashboard, 'rudy', '/retry failed outline');
    r.github.addComment(dashboard, 'maya', '/retry failed outlines');
    r.github.addComment(dashboard, 'maya', '/retry failed outline');
    const second = await r.sweep({ runId: '6002', trigger: 'run-now' });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    ({ state, body } = r.dashboard());
    expect(state.paused_stages).toMatchObject({ outline: { by: 'maya', note: 'until the model is fixed' } });
    expect(state.current?.status).toBe('completed');
    expect(state.current?.stages.outline).toMatchObject({ pending: [2], failed: [] });
    expect(r.models.requests).toHaveLength(5); // job 1's: nothing ran at the paused stage
    expect(body).toContain('**Paused stages:** outline (by @maya');
    const replies = botComments(r).filter((c) => !c.includes('sweep-notice'));
    expect(replies).toHaveLength(4);
    expect(replies[0]).toContain(
      'Stage `outline` is paused now: no sweep starts a batch there until `/resume outline`; the other stages go on',
    );
    expect(replies[1]).toContain('@rudy cannot retry failed items of sweeps: it needs write permission');
    expect(replies[2]).toContain(
      '`/retry failed outlines`: workflow `briefs` has no stage "outlines". Stages it takes: `outline`, `queue`, `edit`.',
    );
    expect(replies[3]).toContain('goes on: its failed items at `outline` are tried again: #2, now');
    expect(replies[3]).toContain('Stage `outline` is paused: `/resume <stage>` first.');
    const secondNotice = botComments(r).filter((c) => c.includes('sweep-notice'));
    expect(secondNotice).toHaveLength(2);
    expect(secondNotice[1]).toContain(
      '- held at paused stage `outline`: #2 (`/resume outline` lets them go on)',
    );

    // Job 3 (cron): /resume outline; the new sweep takes #2 up where its run stands, through every stage.
    r.github.addComment(dashboard, 'maya', '/resume outline');
    const third = await r.sweep({ runId: '6003' });
    expect(third.code, third.stdout + third.stderr).toBe(0);
    ({ state } = r.dashboard());
    expect(state.paused_stages).toBeUndefined();
    expect(state.past).toHaveLength(1);
    expect(state.current?.status).toBe('completed');
    expect(state.current?.stages.queue?.done).toEqual([2]);
    expect(state.current?.stages.edit?.waiting).toEqual([1, 3, 2]);
    // #2's run went on in maya's name (her /retry), its outline asked of the model again, then its edit.
    expect(r.models.requests).toHaveLength(7);
    expect(state.current?.retries).toBeUndefined();
    expect(botComments(r).find((c) => c.includes('Stage `outline` goes on.'))).toContain(
      'Its 1 held items (#2) are taken up by the sweep this job starts next',
    );
    expect(r.github.issues.get(2)?.labels).toContain('queued');
    const notices = botComments(r).filter((c) => c.includes('sweep-notice'));
    expect(notices).toHaveLength(3);
    expect(notices[2]).toContain('- waiting at `edit`: #1, #3, #2');
  }, 90_000);
});
