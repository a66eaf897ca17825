import type { RunState, StageRecord } from '../core/state/run-state.ts';
import type { Stage, Workflow } from '../core/workflow.ts';
import type { IssueInfo } from '../github/get-issue.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import type { CodeStageRunner } from './code-stage.ts';
import type { DispatchInputs } from './inputs.ts';
import type { Models, ModelUsage } from './model-types.ts';

/** Where the Action writes what it does (the Actions log). */
export interface Log {
  info: (message: string) => void;
  warning: (message: string) => void;
}

/** Everything a step works with: the run as the status comment holds it, and the clients to act with. */
export interface StepContext {
  octokit: Octo;
  issue: IssueRef;
  dispatch: DispatchInputs;
  workflow: Workflow;
  state: RunState;
  stage: Stage;
  record: StageRecord;
  /**
   * The issue or pull request (through the issues API) as this job read it already, when it did (a sweep's
   * listing): prompts are rendered over it instead of reading it again.
   */
  subject?: IssueInfo;
  /** Every comment on the subject, oldest first, as read at the start. */
  comments: readonly IssueComment[];
  models: Models;
  /** The environment provider keys are read from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Runs a `command` provider's agent for a code stage; absent while no agent runner is wired in. */
  runCodeStage?: CodeStageRunner;
  log: Log;
}

/** What a step produced, to be posted as output comments. */
export type StepResult =
  | { kind: 'prompt'; text: string }
  | {
      kind: 'response';
      text: string;
      usage: ModelUsage;
      verdict?: 'pass' | 'fail';
      choice?: string;
      pull_number?: number;
      head_sha?: string;
      /** For a stage with `output: file:<path>`: where the response was committed. */
      file?: { path: string; branch: string; commit: string };
      /** The model asks people this instead of answering (`ask_human`). */
      ask_human?: { question: string };
    }
  | {
      kind: 'approver';
      decision: 'approved' | 'rejected' | 'ask_human';
      feedback: string;
      /** With the decision `ask_human`: what the approver asks people. */
      ask_human?: { question: string };
      usage: ModelUsage;
      approver: string;
    }
  /** The content the step was asked about changed since the dispatch: a newer dispatch will come. */
  | { kind: 'stale'; reason: string };
