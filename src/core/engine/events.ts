import type { Command } from '../commands/command.ts';
import type { Permission } from '../schema/gate.ts';
import type { Pointer, Subject, Usage } from '../state/run-state.ts';
import type { Workflow } from '../workflow.ts';

/** Who did something, with the facts the shell looked up when the event happened. */
export interface Actor {
  login: string;
  /** From the collaborator permission API (not author_association); `none` for outsiders. */
  permission: Permission | 'none';
  /** Teams (`org/slug`) the person belongs to, of those the gate names. */
  teams: string[];
  /** Whether the person owns, by CODEOWNERS, a file the pull request changes. */
  codeowner: boolean;
  is_bot: boolean;
}

interface Base {
  /** A unique id: the webhook delivery id, `comment:<id>`, `review:<id>`... Applying an id twice changes nothing. */
  id: string;
}

/** What the outside world reports to the engine. */
export type EngineEvent =
  | (Base & {
      type: 'run.started';
      by: string;
      run_id: string;
      workflow_sha: string;
      subject: Subject;
      /** Start at this entry stage (default: the first entry stage). */
      entry?: string;
    })
  | (Base & { type: 'prompt.rendered'; stage: string; nonce: string; sha256: string; pointer: Pointer })
  | (Base & {
      type: 'response.received';
      stage: string;
      nonce: string;
      sha256: string;
      pointer: Pointer;
      usage: Usage;
      verdict?: 'pass' | 'fail';
      /** For `when_ai` transitions: the target stage the model chose. */
      choice?: string;
      /** The model asks people this instead of answering (`ask_human`). */
      question?: string;
    })
  | (Base & { type: 'command.received'; command: Command; actor: Actor; comment_id: number })
  | (Base & {
      type: 'review.submitted';
      actor: Actor;
      state: 'approved' | 'changes_requested' | 'commented';
      body: string;
      head_sha: string;
    })
  /** A review that approved was dismissed on GitHub: its approval (`approval` is its event id) no longer counts. */
  | (Base & { type: 'review.dismissed'; approval: string; reviewer: string })
  | (Base & {
      type: 'head.moved';
      sha: string;
      pusher: string;
      /** The new head has the same files (the same git tree) as the one it replaces: a rebase, a re-signed commit. */
      same_tree?: boolean;
    })
  | (Base & {
      type: 'content.edited';
      stage: string;
      step: 'prompt' | 'response';
      sha256: string;
      by: string;
      /** The verdict the edited text states (PASS or FAIL), when it states one. */
      verdict?: 'pass' | 'fail';
      /** The editor's facts, looked up when the edit may change the verdict: only an approver's edit counts. */
      editor?: Actor;
    })
  /**
   * flowgate rewrote the verdict in a stage's output comment (`/approve --revise` or `--complete`): its text is
   * now the one with this sha256. Not an edit: approvals given with the override keep counting.
   */
  | (Base & { type: 'output.rewritten'; stage: string; sha256: string })
  | (Base & { type: 'timer.fired' })
  /**
   * Something happened on the subject (a label added or removed, a comment, a push...): a run that waits for a
   * transition condition evaluates it again, over the labels the shell read now (`EngineContext.labels`).
   */
  | (Base & { type: 'subject.changed' })
  | (Base & {
      type: 'approver.decided';
      stage: string;
      nonce: string;
      decision: 'approved' | 'rejected' | 'ask_human';
      feedback: string;
      /** With `ask_human`: what the approver asks people. */
      question?: string;
      usage: Usage;
    })
  | (Base & { type: 'stage.failed'; stage: string; nonce?: string; error: string; url?: string })
  | (Base & { type: 'definition.changed'; workflow: Workflow; sha: string; by: string })
  /** The issue or pull request was closed (or merged): the run is cancelled, whoever closed it. */
  | (Base & { type: 'subject.closed'; by: string; merged: boolean });

export type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
