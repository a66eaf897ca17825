import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SubjectQueue } from '../../src/app/subject-queue.ts';
import { AppHarness, example, type Payload } from '../support/app-harness.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/definition-change/${name}.yml`, import.meta.url), 'utf8');
/** plan -> draft -> done, both written by a model and approved by a maintainer. */
const V1 = fixture('v1');
/** `draft` renamed to `write`, with `replaces: draft`. */
const HEIR = fixture('heir');
/** `draft` gone with nothing that replaces it; a new stage `review`. */
const REMOVED = fixture('removed');
const PATH = '.github/flowgate/doc.yml';

const byBob = (p: Payload) => {
  p.label = { name: 'flowgate:doc' };
  p.sender.login = 'bob';
  p.sender.type = 'User';
};

/** Issue #5, bob a maintainer, carol a writer; the `doc` workflow on the default branch. */
function repository(): AppHarness {
  const h = new AppHarness({ [PATH]: V1 }, { bob: 'maintain', carol: 'write' });
  h.newIssue(5, 'alice', 'Document the settings page');
  return h;
}

/** The run's plan approved: the `draft` step is dispatched, its Action still running. */
async function atDraft(): Promise<AppHarness> {
  const h = repository();
  await h.deliver('issues', 'labeled', 5, byBob);
  await h.answerLastDispatch(5);
  await h.comment(5, 'bob', '/approve');
  expect(h.state(5)).toMatchObject({ stage: 'draft', status: 'running', wait: { for: 'action' } });
  expect(h.github.dispatches.at(-1)?.inputs.stage).toBe('draft');
  return h;
}

/** A commit to `branch` changes the workflow file (`text`, or deleted), then GitHub's push webhook is delivered. */
async function commitWorkflow(h: AppHarness, text: string | undefined, branch = 'main'): Promise<void> {
  const head = 'e'.repeat(40);
  if (branch === 'main') {
    if (text === undefined) h.github.files.delete(PATH);
    else h.github.files.set(PATH, text);
  } else {
    h.github.branches.set(branch, { head, files: new Map([...h.github.files, [PATH, text ?? '']]) });
  }
  const payload = example('push', 'push');
  delete payload.action;
  Object.assign(payload, {
    ref: `refs/heads/${branch}`,
    after: head,
    deleted: false,
    commits: [
      {
        id: head,
        added: [],
        modified: text === undefined ? [] : [PATH],
        removed: text === undefined ? [PATH] : [],
      },
    ],
    installation: { id: 42, node_id: 'x' },
  });
  payload.repository.name = 'widgets';
  payload.repository.full_name = 'acme/widgets';
  payload.repository.owner.login = 'acme';
  payload.repository.default_branch = 'main';
  h.tick();
  await h.probot.receive({ id: `push-${h.now()}`, name: 'push', payload: payload as never });
}

const statusOf = (h: AppHarness) =>
  h.github.botComments(5).find((c) => c.body.includes('<!-- flowgate:status run='))?.body ?? '';

describe('a workflow file changed on the default branch under a running run', () => {
  describe('that renames the current stage, with `replaces`', () => {
    it('moves the run to the heir at its next event, says so, and ignores the step of the removed stage', async () => {
      const h = await atDraft();
      const draftStep = h.github.dispatches.at(-1);
      await commitWorkflow(h, HEIR);
      // The push alone changes no run: the run's next event does.
      expect(h.state(5).stage).toBe('draft');
      // That next event: the Action's output for `draft`, dispatched before the change.
      await h.answerLastDispatch(5, {}, 'The draft.');
      const state = h.state(5);
      expect(state).toMatchObject({
        stage: 'write',
        status: 'running',
        definition: h.github.blobSha(HEIR),
        wait: { for: 'action', step: 'response' },
      });
      expect(state.stages.draft?.output).toBeUndefined();
      expect(state.history.map((e) => e.what)).toEqual(
        expect.arrayContaining(['draft -> write', 'ignored an output for draft']),
      );
      expect(h.github.dispatches.at(-1)?.inputs).toMatchObject({ stage: 'write', attempt: '1' });
      expect(h.github.dispatches.at(-1)).not.toBe(draftStep);
      expect(h.replies(5).at(-1)).toBe(
        'The workflow file changed: stage `draft` was removed and `write` replaces it, so the run moved to `write`. The step of `draft` still running is ignored when it reports.',
      );
      expect(h.github.issues.get(5)?.labels).toContain('flowgate: write');
      expect(h.github.issues.get(5)?.labels).not.toContain('flowgate: draft');
      // The heir's output counts as any stage's; the run completes on the new definition.
      await h.answerLastDispatch(5, {}, 'The page.');
      await h.comment(5, 'bob', '/approve');
      expect(h.state(5)).toMatchObject({ status: 'completed', stage: 'done' });
    });
  });

  describe('that removes the current stage, with nothing replacing it', () => {
    it('pauses the run at its next command, with a reply that names the stages and /flowgate goto', async () => {
      const h = await atDraft();
      await commitWorkflow(h, REMOVED);
      await h.comment(5, 'carol', '/status');
      expect(h.state(5)).toMatchObject({ stage: 'draft', status: 'paused' });
      expect(h.state(5).wait).toBeUndefined();
      expect(h.replies(5)).toContain(
        'The workflow file changed and stage `draft` no longer exists, and no stage `replaces` it, so the run is paused. The step of `draft` still running is ignored when it reports. A maintainer can move it with `/flowgate goto <stage>` to one of `plan`, `review`, `done`, or end it with `/cancel`; adding `replaces: [draft]` to the stage that takes its place moves it there at the next event.',
      );
      expect(statusOf(h)).toContain('paused');
      expect(h.github.issues.get(5)?.labels).not.toContain('flowgate: draft');
    });

    it('ignores the late output of the removed stage, with a note', async () => {
      const h = await atDraft();
      await commitWorkflow(h, REMOVED);
      await h.comment(5, 'carol', '/status');
      await h.answerLastDispatch(5, {}, 'The draft, late.');
      const state = h.state(5);
      expect(state).toMatchObject({ stage: 'draft', status: 'paused' });
      expect(state.history.at(-1)).toMatchObject({
        what: 'ignored a result for draft',
        reason: 'stage "draft" is no longer in the workflow',
      });
    });

    it('is moved by a maintainer to a stage only the new definition has, with /flowgate goto', async () => {
      const h = await atDraft();
      await commitWorkflow(h, REMOVED);
      await h.comment(5, 'bob', '/flowgate goto review');
      expect(h.state(5)).toMatchObject({ stage: 'review', status: 'running', wait: { for: 'action' } });
      expect(h.github.dispatches.at(-1)?.inputs.stage).toBe('review');
      await h.answerLastDispatch(5, {}, 'Looks right.');
      await h.comment(5, 'bob', '/approve');
      expect(h.state(5).status).toBe('completed');
    });

    it('refuses /flowgate goto to a stage no definition has, naming the stages there are', async () => {
      const h = await atDraft();
      await commitWorkflow(h, REMOVED);
      await h.comment(5, 'bob', '/flowgate goto draft');
      expect(h.replies(5).at(-1)).toBe('There is no stage "draft". Stages: plan, review, done.');
      expect(h.state(5)).toMatchObject({ stage: 'draft', status: 'paused' });
    });

    it('refuses /flowgate goto from someone without maintain permission', async () => {
      const h = await atDraft();
      await commitWorkflow(h, REMOVED);
      await h.comment(5, 'carol', '/flowgate goto review');
      expect(h.replies(5).at(-1)).toBe(
        '@carol cannot move the run: it needs maintain permission, and @carol has write.',
      );
      expect(h.state(5).stage).toBe('draft');
    });
  });

  describe('that adds a stage the current stage leads to', () => {
    it('lets /flowgate goto reach it, adopting the new definition first', async () => {
      const h = repository();
      await h.deliver('issues', 'labeled', 5, byBob);
      await h.answerLastDispatch(5);
      await commitWorkflow(h, REMOVED);
      await h.comment(5, 'bob', '/flowgate goto review');
      expect(h.state(5)).toMatchObject({
        stage: 'review',
        definition: h.github.blobSha(REMOVED),
        status: 'running',
      });
    });
  });

  describe('that keeps the current stage', () => {
    it('keeps the run where it is, on the new definition from its next event', async () => {
      const h = repository();
      await h.deliver('issues', 'labeled', 5, byBob);
      await h.answerLastDispatch(5);
      const renamed = V1.replace('Plan the page', 'Outline the page');
      await commitWorkflow(h, renamed);
      await h.comment(5, 'bob', '/approve');
      const state = h.state(5);
      expect(state).toMatchObject({ stage: 'draft', definition: h.github.blobSha(renamed) });
      expect(state.history.map((e) => e.what)).toContain(
        `moved to the new workflow definition ${h.github.blobSha(renamed).slice(0, 7)}`,
      );
      // No reply: nothing the people on the issue need to do.
      expect(h.replies(5).some((r) => r.includes('workflow file changed'))).toBe(false);
    });
  });

  describe('on a branch other than the default one', () => {
    it('changes no running run', async () => {
      const h = await atDraft();
      await commitWorkflow(h, REMOVED, 'rework-doc');
      await h.answerLastDispatch(5, {}, 'The draft.');
      expect(h.state(5)).toMatchObject({
        stage: 'draft',
        status: 'awaiting_approval',
        definition: h.github.blobSha(V1),
      });
    });
  });

  describe('that no longer loads', () => {
    it('leaves the run on its definition and says so once, with the errors', async () => {
      const h = await atDraft();
      const broken = V1.replace('next: done', 'next: nowhere');
      await commitWorkflow(h, broken);
      await h.answerLastDispatch(5, {}, 'The draft.');
      await h.comment(5, 'carol', '/status');
      expect(h.state(5)).toMatchObject({
        stage: 'draft',
        status: 'awaiting_approval',
        definition: h.github.blobSha(V1),
      });
      const notices = h.replies(5).filter((r) => r.includes('has errors'));
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(
        new RegExp(
          `^The workflow file \`${PATH}\` on the default branch has errors, so run \`[^\`]+\` keeps the definition it follows \\(blob \`${h.github.blobSha(V1).slice(0, 7)}\`\\) until the file loads again:\n\n\`\`\`\n${PATH.replaceAll('.', '\\.')}:\\d+:\\d+: `,
        ),
      );
      expect(notices[0]).toContain('nowhere');
      // Fixed again: the run takes the fixed file at its next event.
      const fixed = V1.replace('Draft the page', 'Write the page');
      await commitWorkflow(h, fixed);
      await h.comment(5, 'bob', '/approve');
      expect(h.state(5)).toMatchObject({ status: 'completed', definition: h.github.blobSha(fixed) });
    });
  });

  describe('that was deleted', () => {
    it('leaves the run on its definition and says so once', async () => {
      const h = await atDraft();
      await commitWorkflow(h, undefined);
      await h.answerLastDispatch(5, {}, 'The draft.');
      await h.comment(5, 'carol', '/status');
      const notices = h.replies(5).filter((r) => r.startsWith('No workflow named'));
      expect(notices).toEqual([
        expect.stringMatching(
          /^No workflow named `doc` is left in `\.github\/flowgate\/` on the default branch, so run `[^`]+` keeps the definition it follows \(blob `[0-9a-f]{7}`\)\. `\/cancel` ends the run\.$/,
        ),
      ]);
      await h.comment(5, 'bob', '/approve');
      expect(h.state(5)).toMatchObject({ status: 'completed', definition: h.github.blobSha(V1) });
    });
  });

  describe('what it costs', () => {
    it('asks for the listing of .github/flowgate/ once per event, conditionally: a free 304 while it is unchanged', async () => {
      const h = repository();
      await h.deliver('issues', 'labeled', 5, byBob);
      await h.answerLastDispatch(5);
      const before = h.github.log.length;
      await h.comment(5, 'bob', '/approve');
      const listings = h.github.log.slice(before).filter((l) => l.includes('/contents/'));
      expect(listings).toEqual(['GET /repos/acme/widgets/contents/.github%2Fflowgate 304']);
    });

    it('is seen by a replica that listed the directory before the change, and by a newly started one', async () => {
      const h = repository();
      const other = h.replica(new SubjectQueue());
      await h.deliver('issues', 'labeled', 5, byBob);
      await other.answerLastDispatch(5);
      await commitWorkflow(h, REMOVED);
      // `other` holds the listing (and its ETag) from before the change: GitHub answers its conditional request
      // with the new listing.
      await other.comment(5, 'bob', '/flowgate goto review');
      expect(other.state(5)).toMatchObject({ stage: 'review', definition: h.github.blobSha(REMOVED) });
      await commitWorkflow(h, V1);
      const fresh = h.replica(new SubjectQueue());
      await fresh.comment(5, 'bob', '/status');
      expect(fresh.state(5)).toMatchObject({ stage: 'review', status: 'paused' });
      expect(fresh.replies(5)).toContainEqual(expect.stringContaining('stage `review` no longer exists'));
    });
  });
});
