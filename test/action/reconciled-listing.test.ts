import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { advanceSubject } from '../../src/action/advance-subject.ts';
import { providerModels } from '../../src/action/models.ts';
import { parseActionOutput, sha256Hex } from '../../src/core/action-output.ts';
import { createOctokit } from '../../src/github/create-octokit.ts';
import type { IssueComment } from '../../src/github/types.ts';
import { reconcileRedone } from '../../src/reconcile/reconcile-redone.ts';
import { SubjectComments } from '../../src/reconcile/subject-comments.ts';
import type { SubjectEvent, Trigger } from '../../src/reconcile/subject-event.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { ModelServer } from '../support/model-server.ts';
import { mountStandIn } from '../support/nock-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from '../support/state-keys.ts';

const STATE_KEY = STATE_PRIVATE_KEY;

/** review (a verdict, a maintainer's gate) -> done on pass, revise on fail; revise quotes the review. */
const WORKFLOW = `version: 1
name: critique
on:
  command: critique
  subject: issue
providers:
  writer: openai/gpt-5-mini
stages:
  - id: review
    type: entry
    provider: writer
    instructions: "Review {{ subject.title }}."
    verdict: true
    gate: { approver: manual, approvers: { permission: maintain } }
    transitions:
      - { to: done, when: 'verdict == "pass"' }
      - { to: revise }
  - id: revise
    provider: writer
    gate: { approver: manual, approvers: { permission: maintain } }
    instructions: "Revise after this review: {{ outputs.review }}"
    next: done
  - id: done
    type: terminal
`;

let models: ModelServer;
beforeAll(async () => {
  models = await ModelServer.start();
});
afterAll(async () => {
  await models.close();
});
beforeEach(() => models.reset());

const CONFIG = (github: GitHubStandIn) => ({
  stateKey: STATE_KEY,
  actionsWorkflow: '',
  startPermission: 'write' as const,
  outputAuthors: ['github-actions[bot]', github.botLogin],
});

function subjectOf(github: GitHubStandIn, trigger: Trigger, delivery: string): SubjectEvent {
  const issue = github.issues.get(5);
  return {
    deliveryId: delivery,
    repo: { owner: 'acme', repo: 'widgets', id: REPO_ID },
    defaultBranch: 'main',
    number: 5,
    isPull: false,
    author: 'rudy',
    title: 'Brief 5',
    labels: [...(issue?.labels ?? [])],
    state: 'open',
    trigger,
  };
}

function advance(github: GitHubStandIn, trigger: Trigger, delivery: string) {
  const subject = subjectOf(github, trigger, delivery);
  return advanceSubject({
    octokit: createOctokit({ token: 'ghs_test', resilient: false }),
    github: {
      token: 'ghs_test',
      repo: { owner: 'acme', repo: 'widgets', id: REPO_ID },
      apiUrl: 'https://api.github.com',
    },
    subject,
    config: CONFIG(github),
    models: providerModels,
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: models.baseUrl('openai') },
    log: { info: () => {}, warning: () => {} },
  });
}

describe('a reconcile that carries out /approve --revise', () => {
  it('hands on its listing with the review as it rewrote it, so a step that follows reads what GitHub holds', async () => {
    const github = new GitHubStandIn();
    mountStandIn(github);
    github.files.set('.github/flowgate/critique.yml', WORKFLOW);
    github.permissions.set('maya', 'maintain');
    github.issues.set(5, {
      title: 'Brief 5',
      author: 'rudy',
      labels: [],
      state: 'open',
      pull: false,
      createdAt: '2025-01-01T00:00:00Z',
    });
    models.enqueue({ text: 'Reads well.\n\nVERDICT: PASS', usage: { input: 10, output: 5 } });
    const first = await advance(github, { kind: 'start', workflow: 'critique', by: 'schedule' }, 'd1');
    expect(first.steps.map((s) => s.outcome.outcome)).toEqual(['posted']);
    expect(first.work[0]?.state.status).toBe('awaiting_approval');

    const command = github.addComment(5, 'maya', '/approve --revise');
    const left: { comments: IssueComment[]; full: boolean }[] = [];
    const work = await reconcileRedone(subjectOf(github, { kind: 'comment', commentId: command.id }, 'd2'), {
      octokit: createOctokit({ token: 'ghs_test', resilient: false }),
      config: CONFIG(github),
      now: () => new Date().toISOString(),
      nonce: () => 'n0nce',
      blobs: new Map(),
      definitions: new Map(),
      comments: new SubjectComments(),
      labels: new Map(),
      schedule: () => {},
      dispatch: async () => {},
      log: () => {},
      reconciled: (l) => left.push(l),
    });
    expect(work[0]?.state.stage).toBe('revise');
    expect(left).toHaveLength(1);
    expect(left[0]?.full).toBe(true);
    const review = (comments: readonly { body: string }[]) =>
      comments.find((c) => c.body.includes('Reads well.'))?.body ?? '';
    const onGitHub = review(github.comments);
    expect(onGitHub).toContain('VERDICT: FAIL');
    expect(review(left[0]?.comments ?? [])).toBe(onGitHub);
    // The state holds the hash of the rewritten text, so the revise stage can read the review as it stands.
    const parsed = parseActionOutput(onGitHub);
    if (parsed?.ok !== true) throw new Error('the review is no output comment');
    expect(work[0]?.state.stages.review?.output?.sha256).toBe(sha256Hex(parsed.visible));
    expect(work[0]?.state.stages.review?.approvals.map((a) => a.sha256)).toEqual([sha256Hex(parsed.visible)]);
  }, 30_000);
});
