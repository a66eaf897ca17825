import { normalizeWorkflow } from '../load/normalize.ts';
import type { ParsedWorkflow } from '../schema/workflow.ts';
import type { Workflow } from '../workflow.ts';
import { agentEnvNames } from './agent-env.ts';
import { askHumanRules } from './ask-human.ts';
import { cronLines } from './cron-lines.ts';
import type { LintContext, LintFinding, LintRule } from './finding.ts';
import { boundedCycles, graphShape } from './graph.ts';
import {
  automatedHasNoHumans,
  fieldsFitTheStage,
  implicitApprovalGate,
  providerKinds,
  reviewNeedsPullRequest,
} from './modes.ts';
import { knownReferences, replacesRemovedStages } from './references.ts';
import { stageBatchSize } from './stage-batch-size.ts';
import { uniqueStageIds } from './stage-ids.ts';
import { sweepScheduled } from './sweep-scheduled.ts';
import { oneActionPerItem } from './system-actions.ts';
import { templatesParse } from './templates.ts';
import { transitionRules } from './transitions.ts';

/** The rules that need the whole file, after the schema has accepted it. */
export const LINT_RULES: LintRule[] = [
  uniqueStageIds,
  knownReferences,
  replacesRemovedStages,
  graphShape,
  boundedCycles,
  automatedHasNoHumans,
  implicitApprovalGate,
  askHumanRules,
  reviewNeedsPullRequest,
  providerKinds,
  agentEnvNames,
  fieldsFitTheStage,
  transitionRules,
  oneActionPerItem,
  templatesParse,
  cronLines,
  sweepScheduled,
  stageBatchSize,
];

/** Resolves defaults and runs every lint rule. */
export function lintWorkflow(
  parsed: ParsedWorkflow,
  extra: Pick<LintContext, 'actionsSchedules'> = {},
): { workflow: Workflow; findings: LintFinding[] } {
  const workflow = normalizeWorkflow(parsed);
  const ctx: LintContext = { parsed, workflow, ...extra };
  return { workflow, findings: LINT_RULES.flatMap((rule) => rule(ctx)) };
}
