import { reservedEnvReason } from '../agent-env-rule.ts';
import { error, type LintFinding, type LintRule } from './finding.ts';

/** A command agent's `pass_env` names no variable that flowgate never passes (GITHUB_TOKEN, FLOWGATE_*, ...). */
export const agentEnvNames: LintRule = ({ workflow }) => {
  const findings: LintFinding[] = [];
  for (const [name, provider] of Object.entries(workflow.providers)) {
    if (provider.use !== 'command') continue;
    (provider.pass_env ?? []).forEach((variable, index) => {
      const reason = reservedEnvReason(variable);
      if (reason === undefined) return;
      findings.push(
        error(
          'agent-env',
          ['providers', name, 'pass_env', index],
          `${variable} is never passed to an agent (${reason}); remove it from pass_env`,
        ),
      );
    });
  }
  return findings;
};
