import type { RepoRef } from '../github/types.ts';
import type { SubjectEvent } from '../reconcile/subject-event.ts';
import { subjectFromWebhook } from '../reconcile/subject-from-webhook.ts';

/** The events the Action handles alone, without the app: each one says "look at this subject again". */
export const APP_LESS_EVENTS = ['issues', 'issue_comment', 'pull_request', 'pull_request_review'] as const;

/** The workflow_dispatch inputs that make a job one step for the app (docs/action-contract.md §1). */
const STEP_INPUTS = ['run_id', 'stage', 'attempt', 'nonce', 'step'] as const;

export type AppLessRoute =
  /** One step the app dispatched: the runner's dispatch mode, unchanged. */
  | { mode: 'dispatch' }
  /** An event on a subject: reconcile it here. */
  | { mode: 'subject'; subject: SubjectEvent }
  /** `workflow_dispatch` with only `subject`: look at that issue or pull request now (its facts read from GitHub). */
  | { mode: 'look'; number: number; repo: RepoRef; defaultBranch: string; deliveryId: string }
  /**
   * A scheduled sweep (docs/sweeps.md): the `schedule` event, or `workflow_dispatch` with a `sweep` input. With
   * `timers: true`, a `schedule` whose cron line no workflow's `on.schedule` holds is the timers tick instead
   * (sweep-job.ts).
   */
  | {
      mode: 'sweep';
      trigger: 'cron' | 'run-now';
      /** The workflow to sweep; undefined: every workflow with `on.schedule` (that matches `cron`). */
      workflow?: string;
      cron?: string;
      actor: string;
      defaultBranch: string;
    }
  /** Nothing for flowgate to do, and why (logged). */
  | { mode: 'ignore'; reason: string };

export interface RouteSource {
  /** GITHUB_EVENT_NAME. */
  eventName: string;
  /** The payload at GITHUB_EVENT_PATH. */
  payload: unknown;
  /** A `with:` input by its action.yml name; '' when not set. */
  input: (name: string) => string;
  /** GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT: the delivery id of the event, as the engine records it. */
  runId: string;
  runAttempt: string;
}

interface Payload {
  schedule?: string;
  sender?: { login?: string; type?: string };
  repository?: { name?: string; full_name?: string; owner?: { login?: string }; default_branch?: string };
  inputs?: Record<string, unknown>;
  pull_request?: { number?: number; head?: { repo?: { full_name?: string } | null } };
}

/**
 * Decides what this job is: one step the app dispatched (the six step inputs), or the Action alone handling an
 * issue, comment, pull request or review event, or a `workflow_dispatch` that names only a `subject`. Events whose
 * sender is a bot are ignored, as the app ignores them (the Action's own comments and labels only echo what it
 * did). Pure.
 */
export function appLessRoute(source: RouteSource): AppLessRoute {
  const payload = (
    typeof source.payload === 'object' && source.payload !== null ? source.payload : {}
  ) as Payload;
  const deliveryId = `${source.runId || 'local'}-${source.runAttempt || '1'}`;
  const defaultBranch = payload.repository?.default_branch ?? 'main';
  if (source.eventName === 'schedule') {
    return {
      mode: 'sweep',
      trigger: 'cron',
      ...(payload.schedule === undefined ? {} : { cron: payload.schedule }),
      actor: 'schedule',
      defaultBranch,
    };
  }
  const sweep = source.input('sweep').trim() || String(payload.inputs?.sweep ?? '').trim();
  if (source.eventName === 'workflow_dispatch' && sweep !== '') {
    return {
      mode: 'sweep',
      trigger: 'run-now',
      ...(sweep === 'all' ? {} : { workflow: sweep }),
      actor: payload.sender?.login ?? 'someone',
      defaultBranch,
    };
  }
  if (source.eventName === 'workflow_dispatch') {
    const given = (name: string) =>
      source.input(name.replace('_', '-')).trim() !== '' ||
      String(payload.inputs?.[name] ?? '').trim() !== '';
    if (STEP_INPUTS.some(given) || !given('subject')) return { mode: 'dispatch' };
    const raw = source.input('subject').trim() || String(payload.inputs?.subject ?? '').trim();
    const repo = payload.repository;
    if (!/^[1-9][0-9]{0,8}$/.test(raw)) {
      return {
        mode: 'ignore',
        reason: `the input "subject" must be an issue or pull request number, not ${JSON.stringify(raw)}`,
      };
    }
    if (repo?.name === undefined || repo.owner?.login === undefined) {
      return { mode: 'ignore', reason: 'the workflow_dispatch event names no repository' };
    }
    return {
      mode: 'look',
      number: Number(raw),
      repo: { owner: repo.owner.login, repo: repo.name },
      defaultBranch: repo.default_branch ?? 'main',
      deliveryId,
    };
  }
  if (!(APP_LESS_EVENTS as readonly string[]).includes(source.eventName)) return { mode: 'dispatch' };
  if (payload.sender?.type === 'Bot') {
    return { mode: 'ignore', reason: `the event was sent by a bot (${payload.sender.login ?? 'unknown'})` };
  }
  const fork = forkOf(source.eventName, payload);
  if (fork !== undefined) {
    return {
      mode: 'ignore',
      reason: `#${payload.pull_request?.number ?? '?'} is a pull request from a fork (${fork}): GitHub runs its ${source.eventName} events without secrets and with a read-only token, so flowgate acts on it through commands in its comments (issue_comment), which run on the default branch`,
    };
  }
  const subject = subjectFromWebhook(source.eventName, deliveryId, source.payload);
  if (subject === undefined) {
    const action = (source.payload as { action?: unknown }).action;
    return { mode: 'ignore', reason: `flowgate has nothing to do on ${source.eventName}.${String(action)}` };
  }
  return { mode: 'subject', subject };
}

/**
 * The fork a `pull_request` or `pull_request_review` event's pull request comes from (its head repository, or
 * "a deleted repository"), or undefined when its head is in this repository.
 */
function forkOf(eventName: string, payload: Payload): string | undefined {
  if (eventName !== 'pull_request' && eventName !== 'pull_request_review') return undefined;
  const pull = payload.pull_request;
  if (pull === undefined) return undefined;
  const own =
    payload.repository?.full_name ??
    (payload.repository?.owner?.login === undefined || payload.repository.name === undefined
      ? undefined
      : `${payload.repository.owner.login}/${payload.repository.name}`);
  const head = pull.head?.repo?.full_name;
  if (head === undefined) return 'a deleted repository';
  return head === own ? undefined : head;
}
