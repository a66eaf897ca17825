import { error, type LintFinding, type LintRule } from './finding.ts';

/**
 * A stage's `batch_size` is carried out by a scheduled sweep, at a stage whose work the sweep runs in batches: an
 * `ai` or `command` stage of a workflow with `on.schedule`. Anywhere else nothing would read it, so it is refused.
 */
export const stageBatchSize: LintRule = ({ parsed, workflow }) => {
  const findings: LintFinding[] = [];
  for (const stage of workflow.stages) {
    if (parsed.stages[stage.index]?.batch_size === undefined) continue;
    const path = ['stages', stage.index, 'batch_size'];
    if (workflow.on.schedule === undefined) {
      findings.push(
        error(
          'stage-batch-size',
          path,
          `batch_size of stage "${stage.id}" sizes the batches of a scheduled sweep, but workflow "${workflow.name}" has no on.schedule`,
        ),
      );
    } else if (stage.mode !== 'ai' && stage.mode !== 'command') {
      const why =
        stage.mode === 'manual'
          ? 'a person does it'
          : "its actions run as soon as the stage before it passes, in that stage's batch";
      findings.push(
        error(
          'stage-batch-size',
          path,
          `batch_size of stage "${stage.id}" is never used: a sweep runs no batches of a ${stage.type === 'terminal' ? 'terminal' : stage.mode} stage (${stage.type === 'terminal' ? 'items that reach it are finished' : why})`,
        ),
      );
    }
  }
  return findings;
};
