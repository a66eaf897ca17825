import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { flowgateApp } from '../../src/app/flowgate-app.ts';
import { labelNodeId } from '../../src/memory-github/memory-github.ts';
import type { SubjectEvent } from '../../src/reconcile/subject-event.ts';
import { DEMO_STATE_KEY, type SimulationShell } from '../../src/simulate/simulate-on-github.ts';
import { SIMULATED_REPO_ID } from '../../src/simulate/simulated-repository.ts';
import { example } from './app-harness.ts';
import { mountStandIn } from './nock-stand-in.ts';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/**
 * The app as `flowgate simulate`'s shell: a Probot with flowgate loaded, on the simulation's in-memory GitHub
 * (mounted behind nock), told of each event by the real webhook payload GitHub would send (from
 * @octokit/webhooks-examples, pointed at the subject). Its stage steps are the `workflow_dispatch`es it makes.
 */
export function appShell(): SimulationShell {
  let probot: Probot | undefined;
  let nonces = 0;
  let deliveries = 0;
  /** The app's timers, fired when the simulated clock reaches them (a timer has no webhook). */
  const timers: { at: string; fire: () => Promise<void> }[] = [];
  return {
    deliver: async (event: SubjectEvent, on) => {
      const { github } = on;
      if (probot === undefined) {
        // One app shell at a time: the GitHub behind nock is this simulation's.
        nock.cleanAll();
        mountStandIn(github);
        probot = new Probot({
          appId: 1,
          privateKey: PEM,
          Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
            ...options,
            retry: { enabled: false },
            throttle: { enabled: false },
          })),
          logLevel: 'fatal',
        });
        probot.load((app) =>
          flowgateApp(app, {
            config: {
              stateKey: DEMO_STATE_KEY,
              actionsWorkflow: 'flowgate.yml',
              startPermission: 'write',
              outputAuthors: ['github-actions[bot]'],
            },
            now: on.now,
            nonce: () => `sim${++nonces}`,
            timers: (at, fire) => {
              timers.push({ at, fire });
            },
          }),
        );
      }
      if (event.trigger.kind === 'timer') {
        const due = timers.filter((t) => Date.parse(t.at) <= Date.parse(on.now()));
        for (const t of due) {
          timers.splice(timers.indexOf(t), 1);
          await t.fire();
        }
        return;
      }
      const { name, payload } = webhookOf(event, github);
      payload.repository = {
        ...payload.repository,
        name: github.repo,
        id: SIMULATED_REPO_ID,
        full_name: `${github.owner}/${github.repo}`,
        owner: { ...payload.repository.owner, login: github.owner },
        default_branch: github.defaultBranch,
      };
      payload.installation = { id: 42, node_id: 'x' };
      await probot.receive({
        id: event.deliveryId ?? `delivery-${++deliveries}`,
        name: name as never,
        payload: payload as never,
      });
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: webhook payloads are edited field by field.
type Payload = Record<string, any>;

/** The webhook GitHub sends for what happened, built from a real example payload. */
function webhookOf(
  event: SubjectEvent,
  github: SimulationGitHub,
): { name: string; action: string; payload: Payload } {
  const t = event.trigger;
  const issue = github.issues.get(event.number);
  const user = (login: string) => ({
    login,
    id: login.length,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
  });
  const asIssue = (payload: Payload) => {
    const target = payload.issue ?? payload.pull_request;
    target.number = event.number;
    target.title = issue?.title ?? '';
    target.user = user(issue?.author ?? '');
    target.state = issue?.state ?? 'open';
    // As GitHub's payloads carry them: the subject's node id and its labels'.
    target.node_id = `I_${event.number}`;
    target.labels = (issue?.labels ?? []).map((name) => ({ name, node_id: labelNodeId(name) }));
    if (payload.issue !== undefined) {
      if (issue?.pull === true) payload.issue.pull_request = { url: '' };
      else delete payload.issue.pull_request;
    }
    return payload;
  };
  switch (t.kind) {
    case 'labeled': {
      const payload = asIssue(example('issues', 'labeled'));
      payload.label = { name: t.label };
      payload.sender = user(t.by);
      return { name: 'issues', action: 'labeled', payload };
    }
    case 'comment': {
      const comment = github.comments.find((c) => c.id === t.commentId);
      if (comment === undefined) throw new Error(`no comment ${t.commentId}`);
      const edited = comment.updated_at !== comment.created_at;
      const action = edited ? 'edited' : 'created';
      const payload = asIssue(example('issue_comment', action));
      payload.comment = { ...payload.comment, id: comment.id, body: comment.body, user: user(comment.login) };
      payload.sender = user(comment.login);
      return { name: 'issue_comment', action, payload };
    }
    case 'review': {
      const review = github.reviews.at(-1);
      if (review === undefined) throw new Error('no review');
      const payload = example('pull_request_review', 'submitted');
      payload.review = {
        ...payload.review,
        id: review.id,
        state: review.state.toLowerCase(),
        commit_id: review.commit_id,
        user: user(review.login),
      };
      payload.pull_request = pullPayload(github, review.pull, payload.pull_request);
      payload.sender = user(review.login);
      return { name: 'pull_request_review', action: 'submitted', payload };
    }
    case 'pushed': {
      const number = [...github.pulls.entries()].find(([, p]) => p.head === t.headSha)?.[0];
      if (number === undefined) throw new Error(`no pull request at ${t.headSha}`);
      const payload = example('pull_request', 'synchronize');
      payload.pull_request = pullPayload(github, number, payload.pull_request);
      payload.sender = user(t.by);
      return { name: 'pull_request', action: 'synchronize', payload };
    }
    default:
      throw new Error(`the app hears of "${t.kind}" by no webhook; this comparison cannot send it`);
  }
}

type SimulationGitHub = Parameters<SimulationShell['deliver']>[1]['github'];

function pullPayload(github: SimulationGitHub, number: number, base: Payload): Payload {
  const pull = github.pulls.get(number);
  const issue = github.issues.get(number);
  return {
    ...base,
    number,
    title: pull?.title ?? issue?.title ?? '',
    body: pull?.body ?? null,
    state: issue?.state ?? 'open',
    user: { login: pull?.author ?? '', id: 1, type: 'User' },
    node_id: `I_${number}`,
    labels: (issue?.labels ?? []).map((name) => ({ name, node_id: labelNodeId(name) })),
    head: { ...base.head, sha: pull?.head ?? '', ref: pull?.headRef ?? 'feature' },
    base: { ...base.base, ref: pull?.base ?? 'main' },
  };
}
