import type { InitMode } from './plan-init-files.ts';

const ENVIRONMENT = 'repos/{owner}/{repo}/environments/flowgate';
const DEFAULT_BRANCH = '$(gh repo view --json defaultBranchRef --jq .defaultBranchRef.name)';

/**
 * The report's lines for the state key (docs/security.md). With the app: the app's public key as the variable
 * FLOWGATE_STATE_PUBLIC_KEY, and no state secret. With the Action alone, and for a sweep in either mode: a private
 * key of its own in the environment `flowgate`, limited to the default branch; beside the app, the app must also
 * accept what the sweep signs.
 */
export function stateKeySteps(mode: InitMode, sweeps: boolean): string[] {
  const lines: string[] = [];
  if (mode === 'app') {
    lines.push(
      "1. The app's public key, as the variable the Action verifies run states with (docs/app.md, section 4):",
      '     gh variable set FLOWGATE_STATE_PUBLIC_KEY --body "$(npx flowgate key public)"    # where the app\'s FLOWGATE_STATE_PRIVATE_KEY is set',
      '   or with the fgpk1_... key the app logs when it starts:',
      '     gh variable set FLOWGATE_STATE_PUBLIC_KEY --body fgpk1_...',
      "   The app's private key stays with the app: never make it an Actions secret.",
    );
    if (!sweeps) return [...lines, ''];
    lines.push(
      '   The sweep signs what it writes with a key of its own, in an environment limited to the default branch:',
    );
  } else {
    lines.push(
      '1. The private key that signs the run state, as a secret of the environment "flowgate", limited to the',
      '   default branch so that a workflow pushed to another branch cannot read it (docs/security.md):',
    );
  }
  lines.push(
    `     gh api --method PUT "${ENVIRONMENT}" -F "deployment_branch_policy[protected_branches]=false" -F "deployment_branch_policy[custom_branch_policies]=true"`,
    `     gh api --method POST "${ENVIRONMENT}/deployment-branch-policies" -f name="${DEFAULT_BRANCH}"`,
    '     npx flowgate key generate    # prints a new key pair: FLOWGATE_STATE_PRIVATE_KEY=fgsk1_... and its public key',
    '     gh secret set FLOWGATE_STATE_PRIVATE_KEY --env flowgate    # paste the fgsk1_... key when asked',
    '   Never a repository secret: anyone who can push a workflow, to any branch, can read those.',
  );
  if (mode === 'app') {
    lines.push(
      "   Add the printed public key (fgpk1_...) to the app's FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS and restart the app,",
      '   so that it accepts the runs the sweep advanced.',
    );
  }
  return [...lines, ''];
}
