import type { Log } from './step-context.ts';

/** What a code stage needs of the job it runs in. */
export interface CodeStageSetup {
  /** The checkout the agent works in (`GITHUB_WORKSPACE`). */
  workspace: string;
  /** The branch the pull request goes into: the dispatched ref, the default branch (`GITHUB_REF_NAME`). */
  baseBranch: string | undefined;
  /** The commit the job was started at (`GITHUB_SHA`): a checkout there is the repository's own code. */
  jobSha: string | undefined;
  /** Where the branch is pushed: `<GITHUB_SERVER_URL>/<owner>/<repo>.git`. */
  remoteUrl: string;
  /** Pushes the branch and opens the pull request. */
  token: string;
  runUrl?: string;
  /** The job's environment, which the agent's own is filtered from. */
  parentEnv: Readonly<Record<string, string | undefined>>;
  /** Where the agent's output goes as it arrives (the job log). */
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void;
  log: Log;
}
