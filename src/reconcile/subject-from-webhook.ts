import { issueFromPullBody } from '../core/pull-marker.ts';
import type { SubjectEvent, Trigger } from './subject-event.ts';

interface IssueLike {
  number: number;
  title: string;
  state?: string;
  user: { login: string } | null;
  /** Its GraphQL node id. */
  node_id?: string;
  labels?: ({ name?: string; node_id?: string } | string)[];
  pull_request?: unknown;
}

interface Payload {
  repository?: { id?: number; name: string; owner: { login: string }; default_branch?: string };
  sender?: { login: string; type?: string };
  issue?: IssueLike;
  pull_request?: IssueLike & { head?: { sha: string }; merged?: boolean; body?: string | null };
  comment?: { id: number };
  label?: { name: string; node_id?: string };
  check_run?: { pull_requests?: { number: number }[]; external_id?: string | null };
  workflow_run?: { display_title?: string; html_url: string; conclusion: string | null; path?: string };
}

/** The subject a webhook is about, or undefined when flowgate has nothing to do with it. */
export function subjectFromWebhook(name: string, deliveryId: string, raw: unknown): SubjectEvent | undefined {
  const payload = raw as Payload & { action?: string };
  const repo = payload.repository;
  if (repo === undefined) return undefined;
  const subject = payload.issue ?? payload.pull_request;
  const trigger = triggerOf(name, payload);
  if (trigger === undefined) return undefined;
  const base = {
    deliveryId,
    repo: { owner: repo.owner.login, repo: repo.name, ...(repo.id === undefined ? {} : { id: repo.id }) },
    defaultBranch: repo.default_branch ?? 'main',
    trigger,
  };
  if (trigger.kind === 'rerequested' || trigger.kind === 'workflow-failed') {
    // A check run's external id is `flowgate:<run id>`, and run ids begin with the number of the run's subject.
    const fromCheck = /^flowgate:(\d+)-/.exec(payload.check_run?.external_id ?? '')?.[1];
    const number =
      trigger.kind === 'rerequested'
        ? fromCheck === undefined
          ? undefined
          : Number(fromCheck)
        : numberFromTitle(payload);
    if (number === undefined) return undefined;
    const onPull =
      trigger.kind === 'rerequested' && payload.check_run?.pull_requests?.some((p) => p.number === number);
    return {
      ...base,
      number,
      isPull: onPull === true,
      author: '',
      title: '',
      labels: [],
      labelsKnown: false,
      state: 'open',
    };
  }
  if (subject === undefined) return undefined;
  // A pull request that a stage opened for an issue's run says so in its body: its events concern that issue.
  const owner = issueFromPullBody(payload.pull_request?.body);
  if (owner !== undefined && payload.pull_request !== undefined) {
    return {
      ...base,
      number: owner,
      isPull: false,
      author: '',
      title: '',
      labels: [],
      state: 'open',
      via: payload.pull_request.number,
    };
  }
  return {
    ...base,
    number: subject.number,
    isPull: payload.pull_request !== undefined || subject.pull_request !== undefined,
    author: subject.user?.login ?? '',
    title: subject.title,
    labels: (subject.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
    state: subject.state === 'closed' ? 'closed' : 'open',
    ...(typeof subject.node_id === 'string' && subject.node_id !== '' ? { nodeId: subject.node_id } : {}),
    labelIds: labelIdsOf([
      ...(subject.labels ?? []),
      ...(payload.label === undefined ? [] : [payload.label]),
    ]),
  };
}

/** The node ids of the labels a payload shows, by name. */
function labelIdsOf(
  labels: ({ name?: string; node_id?: string } | string)[],
): { name: string; nodeId: string }[] {
  return labels.flatMap((l) =>
    typeof l === 'string' || l.name === undefined || typeof l.node_id !== 'string' || l.node_id === ''
      ? []
      : [{ name: l.name, nodeId: l.node_id }],
  );
}

function triggerOf(name: string, p: Payload & { action?: string }): Trigger | undefined {
  const sender = p.sender?.login ?? '';
  switch (`${name}.${p.action}`) {
    case 'issue_comment.created':
    case 'issue_comment.edited':
      return p.comment === undefined ? undefined : { kind: 'comment', commentId: p.comment.id };
    case 'issues.labeled':
    case 'pull_request.labeled':
      return p.label === undefined
        ? undefined
        : { kind: 'labeled', label: p.label.name, by: sender, byBot: p.sender?.type === 'Bot' };
    case 'issues.unlabeled':
    case 'pull_request.unlabeled':
      // flowgate's own label moves (and other bots') are not looked at: the next event sees the labels anyway.
      return p.label === undefined || p.sender?.type === 'Bot'
        ? undefined
        : { kind: 'unlabeled', label: p.label.name, by: sender };
    case 'issues.closed':
    case 'pull_request.closed':
      return { kind: 'closed', by: sender, merged: p.pull_request?.merged === true };
    case 'pull_request.synchronize':
      return { kind: 'pushed', headSha: p.pull_request?.head?.sha ?? '', by: sender };
    case 'pull_request_review.submitted':
    case 'pull_request_review.dismissed':
      return { kind: 'review' };
    case 'check_run.rerequested':
      return p.check_run?.external_id?.startsWith('flowgate:')
        ? { kind: 'rerequested', by: sender }
        : undefined;
    case 'workflow_run.completed': {
      const run = p.workflow_run;
      if (run === undefined || run.conclusion === 'success' || run.conclusion === null) return undefined;
      // run-name: "flowgate run <run id> #<number> <stage> <nonce>" (docs/app.md): the nonce pins the attempt.
      const named = /flowgate run ([\w.-]+) #\d+ \S+(?: (\S+))?/.exec(run.display_title ?? '');
      if (named?.[1] === undefined) return undefined;
      return {
        kind: 'workflow-failed',
        runId: named[1],
        ...(named[2] === undefined ? {} : { nonce: named[2] }),
        url: run.html_url,
        conclusion: run.conclusion,
      };
    }
    default:
      return undefined;
  }
}

/** The stage workflow's run name is `flowgate run <run id> #<number> <stage> <nonce>` (see docs/app.md). */
function numberFromTitle(p: Payload): number | undefined {
  const match = /#(\d+)/.exec(p.workflow_run?.display_title ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
