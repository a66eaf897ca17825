import type { RepoRef } from '../github/types.ts';

/** What a webhook said beyond "look at this subject again": facts that re-reading GitHub cannot recover. */
export type Trigger =
  | { kind: 'comment'; commentId: number }
  | {
      kind: 'labeled';
      label: string;
      by: string;
      byBot: boolean;
      /**
       * Set when the app's catch-up scan found the label added (the issue event's time) with no run started for it:
       * its delivery was answered but its work cut off. It starts a run only where no run of the workflow started
       * since then (5 minutes of clock difference allowed), and says nothing when it starts none (its delivery may
       * have said it already).
       */
      recoveredAt?: string;
    }
  /** A person removed a label: a run that waits for a transition condition looks at the labels again. */
  | { kind: 'unlabeled'; label: string; by: string }
  | { kind: 'closed'; by: string; merged: boolean }
  | { kind: 'pushed'; headSha: string; by: string }
  | { kind: 'review' }
  | { kind: 'rerequested'; by: string }
  | { kind: 'workflow-failed'; runId: string; nonce?: string; url: string; conclusion: string }
  | { kind: 'timer' }
  /**
   * Start a run of `workflow` (by name) without a person's label or command: the Action's scheduled sweep asks
   * for it, `by` being `schedule` or the login that asked for the sweep. No permission check: the repository's
   * own Actions workflow asks, and starting it took write access already.
   */
  | { kind: 'start'; workflow: string; by: string };

/** One issue or pull request to reconcile, with what the webhook payload already told us about it. */
export interface SubjectEvent {
  deliveryId: string;
  repo: RepoRef;
  defaultBranch: string;
  number: number;
  isPull: boolean;
  author: string;
  title: string;
  /** Its labels now, as the payload (or GitHub) said; see `labelsKnown`. */
  labels: string[];
  /**
   * False when the payload did not carry the subject's labels (a check run's or a workflow run's event): the
   * reconcile reads them from GitHub first.
   */
  labelsKnown?: boolean;
  state: 'open' | 'closed';
  /** Its GraphQL node id, as the payload gave it: lets a status edit and label changes go in one request. */
  nodeId?: string;
  /** The node ids of labels the payload showed (the subject's, and the one just added or removed), by name. */
  labelIds?: { name: string; nodeId: string }[];
  /** Set when the webhook was about a pull request that a stage opened for this issue's run. */
  via?: number;
  trigger: Trigger;
}

/** A subject as an issue read from GitHub shows it, reconciled because a due time may have come (a timer trigger). */
export function timerSubjectOf(
  issue: {
    number: number;
    isPull: boolean;
    author: string;
    title: string;
    labels: string[];
    state: 'open' | 'closed';
    nodeId?: string;
    labelIds?: { name: string; nodeId: string }[];
  },
  where: { deliveryId: string; repo: RepoRef; defaultBranch: string },
): SubjectEvent {
  return {
    ...where,
    number: issue.number,
    isPull: issue.isPull,
    author: issue.author,
    title: issue.title,
    labels: issue.labels,
    state: issue.state,
    ...(issue.nodeId === undefined ? {} : { nodeId: issue.nodeId }),
    ...(issue.labelIds === undefined ? {} : { labelIds: issue.labelIds }),
    trigger: { kind: 'timer' },
  };
}
