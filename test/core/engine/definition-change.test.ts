import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const V1 = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: manual
    next: draft
  - id: draft
    provider: writer
    instructions: Draft
    gate: manual
  - id: done
`);

/** V1 with `draft` renamed to `write`, which says it replaces `draft`. */
const V2_RENAMED = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: manual
    next: write
  - id: write
    provider: writer
    instructions: Write
    gate: manual
    replaces: draft
  - id: done
`);

/** V1 without `draft`, and nothing that replaces it. */
const V2_REMOVED = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: manual
    next: done
  - id: done
`);

async function atDraft() {
  const r = await drive(V1);
  r.answer();
  r.comment('alice', '/approve');
  expect(r.stage).toBe('draft');
  return r;
}

describe('a change to the workflow file', () => {
  describe('that keeps the current stage', () => {
    it('keeps the run where it is, on the new definition', async () => {
      const r = await drive(V1);
      r.answer();
      await r.changeDefinition(
        V1.replace('gate: manual\n    next: draft', 'gate: manual\n    next: draft\n    name: Planning'),
        'def-2',
      );
      expect(r.stage).toBe('plan');
      expect(r.status).toBe('awaiting_approval');
      expect(r.state.definition).toBe('def-2');
      expect(r.state.history.at(-1)).toMatchObject({
        actor: 'maintainer',
        what: 'moved to the new workflow definition def-2',
      });
      r.comment('alice', '/approve');
      expect(r.stage).toBe('draft');
    });

    it('applies the new gate to the waiting output', async () => {
      const r = await drive(V1);
      r.answer();
      await r.changeDefinition(
        V1.replace(
          'gate: manual\n    next: draft',
          'gate: { approver: manual, min_approvals: 2 }\n    next: draft',
        ),
      );
      r.comment('alice', '/approve');
      expect(r.stage).toBe('plan');
      r.comment('bob', '/approve');
      expect(r.stage).toBe('draft');
    });
  });

  describe('that replaces the current stage', () => {
    it('moves the run to the heir and starts it there, and says so', async () => {
      const r = await atDraft();
      await r.changeDefinition(V2_RENAMED);
      expect(r.stage).toBe('write');
      expect(r.replies).toEqual([
        'The workflow file changed: stage `draft` was removed and `write` replaces it, so the run moved to `write`. The step of `draft` still running is ignored when it reports.',
      ]);
      expect(r.effectsOf('dispatch')).toEqual([
        expect.objectContaining({ stage: 'write', attempt: 1, step: 'response' }),
      ]);
      expect(r.state.history.find((h) => h.what === 'draft -> write')?.reason).toBe(
        'stage "draft" was removed; "write" replaces it',
      );
    });

    it('ignores the result of the removed stage', async () => {
      const r = await atDraft();
      const old = r.wait?.for === 'action' ? r.wait.nonce : '';
      await r.changeDefinition(V2_RENAMED);
      r.answer('draft', { nonce: old });
      expect(r.history.at(-1)).toBe('ignored an output for draft');
      r.answer('write');
      expect(r.wait).toMatchObject({ for: 'approval', step: 'response' });
    });

    it('starts the heir when a paused run is resumed', async () => {
      const r = await atDraft();
      r.comment('alice', '/pause');
      await r.changeDefinition(V2_RENAMED);
      expect(r.stage).toBe('write');
      expect(r.status).toBe('paused');
      r.comment('alice', '/resume');
      expect(r.status).toBe('running');
      expect(r.effectsOf('dispatch')).toEqual([
        expect.objectContaining({ stage: 'write', step: 'response' }),
      ]);
    });
  });

  describe('that removes the current stage with no heir', () => {
    it('pauses the run and explains what to do', async () => {
      const r = await atDraft();
      await r.changeDefinition(V2_REMOVED);
      expect(r.status).toBe('paused');
      expect(r.state.resume?.reason).toBe(
        'the workflow file changed and stage "draft" no longer exists; `/flowgate goto <stage>` moves the run to a stage of the new definition, or add `replaces: [draft]` to the stage that takes its place',
      );
      expect(r.replies).toEqual([
        'The workflow file changed and stage `draft` no longer exists, and no stage `replaces` it, so the run is paused. The step of `draft` still running is ignored when it reports. A maintainer can move it with `/flowgate goto <stage>` to one of `plan`, `done`, or end it with `/cancel`; adding `replaces: [draft]` to the stage that takes its place moves it there at the next event.',
      ]);
      // Nothing of the removed stage is awaited: the step still running is stale for the Action.
      expect(r.wait).toBeUndefined();
    });

    it('answers commands that need the stage with the explanation', async () => {
      const r = await atDraft();
      await r.changeDefinition(V2_REMOVED);
      for (const command of ['/approve', '/retry', '/resume', '/reject no']) {
        r.comment('alice', command);
        expect(r.replies).toEqual([
          'Stage "draft" is no longer in the workflow: the workflow file changed and stage "draft" no longer exists; `/flowgate goto <stage>` moves the run to a stage of the new definition, or add `replaces: [draft]` to the stage that takes its place. Stages: plan, done.',
        ]);
      }
      r.comment('alice', '/status');
      expect(r.replies[0]).toMatch(/^`demo` is paused at stage "draft"/);
    });

    it('ignores a late result for the removed stage, with a note in the history', async () => {
      const r = await atDraft();
      await r.changeDefinition(V2_REMOVED);
      r.answer('draft');
      expect(r.status).toBe('paused');
      expect(r.state.history.at(-1)).toMatchObject({
        what: 'ignored a result for draft',
        reason: 'stage "draft" is no longer in the workflow',
      });
    });

    it('can be moved to any stage of the new definition by a maintainer with goto, without --force', async () => {
      const r = await atDraft();
      await r.changeDefinition(V2_REMOVED);
      r.comment('maintainer', '/flowgate goto plan');
      expect(r.stage).toBe('plan');
      expect(r.status).toBe('running');
      r.comment('maintainer', '/flowgate goto nowhere');
      expect(r.replies[0]).toBe('There is no stage "nowhere". Stages: plan, done.');
    });

    it('can be moved on by an admin with goto --force', async () => {
      const r = await atDraft();
      await r.changeDefinition(V2_REMOVED);
      r.comment('admin', '/flowgate goto done --force');
      expect(r.status).toBe('completed');
    });

    it('can be cancelled', async () => {
      const r = await atDraft();
      await r.changeDefinition(V2_REMOVED);
      r.comment('alice', '/cancel');
      expect(r.status).toBe('cancelled');
    });
  });
});
