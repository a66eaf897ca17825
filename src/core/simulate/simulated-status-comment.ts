import { renderStatusComment } from '../render/status-comment.ts';
import { encodeStateBlock } from '../state/encode-state.ts';
import type { RunState } from '../state/run-state.ts';
import type { Workflow } from '../workflow.ts';
import { SIMULATED_REPO_URL } from './prompt-context.ts';

/** The key that signs the state block of simulated runs: a demo key, never a real one. */
export const DEMO_STATE_KEY = 'fgsk1_ellFeJT2rH8EKmKtW-SGyj1softp3lGdevwmL4G9mOU';

/** The status comment a simulated run leaves, as the app would write it: rendered, with the signed state block. */
export function simulatedStatusComment(workflow: Workflow, state: RunState): string {
  let stateBlock: string;
  try {
    stateBlock = encodeStateBlock(state, DEMO_STATE_KEY, { id: 1, number: state.subject.number });
  } catch (error) {
    stateBlock = `<!-- flowgate:state not written: ${error instanceof Error ? error.message : String(error)} -->`;
  }
  return renderStatusComment({ workflow, state, stateBlock, repoUrl: SIMULATED_REPO_URL });
}
