import type { Effect } from '../core/engine/effects.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import type { KnownPermission } from '../github/get-permission.ts';
import type { KeyedCache } from '../github/keyed-cache.ts';
import type { LabelIds } from '../github/label-ids.ts';
import type { WorkflowListing } from '../github/list-workflow-directory.ts';
import type { KnownLabels } from '../github/set-issue-labels.ts';
import type { IssueComment, Octo } from '../github/types.ts';
import type { HeldLabels } from './apply-labels.ts';
import type { RepoWorkflow } from './load-repo-workflows.ts';
import type { ReconcileConfig } from './reconcile-config.ts';
import type { DefinitionCache } from './run-definition.ts';
import type { SubjectComments } from './subject-comments.ts';

export interface ReconcileDeps {
  octokit: Octo;
  config: ReconcileConfig;
  now: () => string;
  nonce: () => string;
  /** Blob sha -> file text, shared across deliveries. */
  blobs: KeyedCache<string>;
  /** Blob sha -> loaded workflow, shared across deliveries. */
  definitions: DefinitionCache;
  /** What the app remembers of subjects' comments, so that a delivery lists only what is new. */
  comments: SubjectComments;
  /**
   * The ETag and rev of each status comment this process wrote last, so that the re-read before the next edit can be
   * a conditional request (304 when nobody wrote since). Absent: plain re-reads.
   */
  etags?: KeyedCache<{ etag: string; rev: number }>;
  /**
   * The last listing of `.github/flowgate/` per repository and ref, with its ETag: a run's next event asks GitHub
   * whether the listing changed with a conditional request (a 304, free, while it did not), to learn whether its
   * workflow file changed on the default branch. Absent: the listing is read in full each time it is needed.
   */
  listings?: KeyedCache<WorkflowListing>;
  /**
   * The last answer about each subject's labels, with its ETag: a change of several labels re-reads them
   * conditionally (a 304, free, while nobody changed them) before setting them in one request. Absent: a plain read.
   */
  labelAnswers?: KeyedCache<KnownLabels>;
  /**
   * The last answer about each person's permission per repository, with its ETag: every command still asks GitHub,
   * conditionally (a 304, free, while the role is unchanged). Absent: plain reads.
   */
  permissions?: KeyedCache<KnownPermission>;
  /** Labels known to exist per repository, shared across deliveries. */
  labels: KeyedCache<Set<string>>;
  /**
   * The node ids of labels per repository, learned from payloads and label answers. Present: when a reconcile edits
   * a status comment and changes labels whose ids it knows, both go in one GraphQL request (one write, not two);
   * anything else, or a server that refuses it, goes through REST as without it. Absent: REST only.
   */
  labelIds?: LabelIds;
  /**
   * The workflows on the default branch as the caller read them in this job (a sweep reads them once when it
   * starts): used instead of listing `.github/flowgate/` again. Absent: listed when a reconcile needs them.
   */
  workflows?: RepoWorkflow[];
  schedule: (at: string) => void;
  /**
   * `sweep-end`: a gate that opens posts no notice on the item (a sweep's end notice on its dashboard lists the
   * items waiting for people and mentions their approvers, once for the whole sweep). Default `each`.
   */
  gateNotices?: 'each' | 'sweep-end';
  /**
   * Where the runs' label changes are gathered instead of written, for the caller to write them once when it is
   * done with the subject (`flushHeldLabels`): a sweep moves an item through several reconciles in one go. The
   * status comment stays the run's truth; labels show it one write later. Absent: each reconcile writes them.
   */
  heldLabels?: HeldLabels;
  /**
   * Runs a stage step. Absent: the app dispatches the team's Actions workflow (`workflow_dispatch`). The Action
   * running without the app passes its own, which queues the step to run in the same job.
   */
  dispatch?: (inputs: DispatchInputs) => Promise<void>;
  log: (message: string) => void;
  /**
   * Sends a system action's `webhook` (default: an HTTP POST, signed with the key in `secretEnv`). `flowgate
   * simulate` records the request instead of sending it.
   */
  webhook?: (url: string, body: unknown, secretEnv: string | undefined) => Promise<void>;
  /**
   * Told, at the end of each reconcile, what it left the subject with as far as it knows: its labels after the
   * label effects, and its comments as listed with this reconcile's own writes in them (`full` when the listing
   * held every comment, not only those since the last one). A caller that reconciles the same subject again in
   * this job (the Action alone, a sweep) starts the next reconcile from those labels, not from the ones its event
   * carried, and a step it runs right away can take those comments instead of listing them again.
   */
  reconciled?: (left: { labels: string[]; comments: IssueComment[]; full: boolean }) => void;
}

/** A run being worked on in this reconcile: where it lives, its state, and what the shell still has to do. */
export interface RunWork {
  workflow: Workflow;
  state: RunState;
  comment?: IssueComment;
  /** The head of the run's pull request when it has one (the subject, or the one a stage opened). */
  headSha?: string;
  /** The state the status comment held when this reconcile read it (undefined for a new run). */
  read?: RunState;
  /** The `rev` the status comment held when this reconcile read it (undefined for a new run). */
  baseRev?: number;
  /** The pull request head the run's state held when this reconcile read it (a run on a pull request). */
  readHead?: string;
  changed: boolean;
  effects: Effect[];
  /** Command comments that got the eyes reaction in this reconcile. */
  received: Set<number>;
}

/** The inputs of one stage step for the Action, as the `workflow_dispatch` of the stage workflow carries them. */
export interface DispatchInputs {
  run_id: string;
  subject: string;
  stage: string;
  attempt: string;
  nonce: string;
  step: 'prompt' | 'response' | 'approver';
}
