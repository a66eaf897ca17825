import type { SystemAction } from '../schema/system-action.ts';
import type { Pointer } from '../state/run-state.ts';

/** What the shell must do after a step; the engine itself never touches GitHub. */
export type Effect =
  /** Re-render and write the status comment (and the check run on pull requests). */
  | { type: 'status.update' }
  | { type: 'reply'; text: string; to?: number }
  /**
   * `+1`: the command was applied (the reconcile writes the state then, and does not post this reaction: the status
   * comment says it); `confused`: a reaction the shell posts.
   */
  | { type: 'react'; comment_id: number; reaction: '+1' | 'confused' }
  | { type: 'labels.set'; add: string[]; remove: string[] }
  | {
      type: 'check.update';
      status: 'in_progress' | 'completed';
      conclusion?: 'success' | 'failure' | 'cancelled' | 'action_required';
    }
  /** Run a stage step in Actions (workflow_dispatch with run id, stage, attempt and nonce). */
  | {
      type: 'dispatch';
      stage: string;
      attempt: number;
      nonce: string;
      step: 'prompt' | 'response' | 'approver';
    }
  /**
   * Tell people a gate waits for them (mentioned once, when it opens). `question`: what a model asks them (model
   * text, shown inert); `key`: what makes this notice one of its own (default: the stage, attempt and wait).
   */
  | {
      type: 'notify';
      users: string[];
      teams: string[];
      codeowners: boolean;
      text: string;
      question?: string;
      key?: string;
    }
  | { type: 'system.action'; stage: string; action: SystemAction }
  | { type: 'timer.schedule'; at: string }
  /** Rewrite the verdict marker of a stored response, after a human override. */
  | { type: 'output.rewrite_verdict'; stage: string; pointer: Pointer; verdict: 'pass' | 'fail' }
  | { type: 'subject.archive'; after_days: number; lock: boolean }
  /**
   * Ask for a manual stage's content: post its rendered `instructions`, mention the gate's approvers, say how to
   * hand the content in (`/submit`), and show the feedback that sent the previous attempt back.
   */
  | {
      type: 'content.request';
      stage: string;
      attempt: number;
      users: string[];
      teams: string[];
      codeowners: boolean;
      feedback?: { by: string; text: string };
    };
