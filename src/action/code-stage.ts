import type { CommandProvider } from '../core/schema/provider.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Stage, Workflow } from '../core/workflow.ts';
import type { IssueRef, Octo } from '../github/types.ts';
import type { ModelUsage } from './model-types.ts';

export interface CodeStageParams {
  octokit: Octo;
  issue: IssueRef;
  workflow: Workflow;
  state: RunState;
  stage: Stage;
  /** The stage's provider name and definition (`use: command`). */
  name: string;
  provider: CommandProvider;
  /** The prompt the agent works from (a retry prompt after a rejection). */
  prompt: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** What a code stage reports: a comment text linking the pull request, and the pull request at its new head. */
export interface CodeStageResult {
  text: string;
  usage: ModelUsage;
  pull_number: number;
  head_sha: string;
}

/** Runs a code stage's agent in the checked-out repository and publishes its changes as a pull request. */
export type CodeStageRunner = (params: CodeStageParams) => Promise<CodeStageResult>;
