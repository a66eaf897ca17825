import { askHumanOffered } from '../ask-human.ts';
import type { Path } from '../diagnostic.ts';
import { error, type LintFinding, type LintRule, warning } from './finding.ts';

const GATES = [
  ['gate', 'response'],
  ['prompt_gate', 'prompt'],
] as const;

/**
 * `ask_human` lets a model ask people instead of deciding, and the run then waits for an answer: an `automated`
 * workflow cannot do that (an error), and on a gate where no model works (a `manual` prompt gate, the gate of a
 * `manual`, `system` or `command` stage without an AI approver) it does nothing (a warning).
 */
export const askHumanRules: LintRule = ({ parsed, workflow }) => {
  const findings: LintFinding[] = [];
  for (const stage of workflow.stages) {
    const raw = parsed.stages[stage.index];
    for (const [key, step] of GATES) {
      const guidance = stage[key].ask_human;
      if (guidance === undefined || guidance.trim() === '') continue;
      const own = raw?.[key]?.ask_human !== undefined;
      const at: Path = own ? ['stages', stage.index, key, 'ask_human'] : ['defaults', 'gate', 'ask_human'];
      if (workflow.mode === 'automated') {
        findings.push(
          error(
            'automated-ask-human',
            at,
            `an automated workflow cannot ask a person: ask_human on the ${key} of stage "${stage.id}" lets a model stop and wait for an answer (remove ask_human, or use mode: interactive)`,
          ),
        );
        continue;
      }
      const asks = askHumanOffered(stage, 'model', step) || askHumanOffered(stage, 'approver', step);
      if (!asks && own) {
        findings.push(
          warning(
            'ask-human-unused',
            at,
            `ask_human does nothing on the ${key} of stage "${stage.id}": only the model of an ai stage (under its gate) or an ai:<provider> approver can ask a person`,
          ),
        );
      }
    }
  }
  return findings;
};
