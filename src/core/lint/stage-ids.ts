import { error, type LintRule } from './finding.ts';

/** Stage ids are unique. */
export const uniqueStageIds: LintRule = ({ parsed }) => {
  const first = new Map<string, number>();
  return parsed.stages.flatMap((stage, index) => {
    const seen = first.get(stage.id);
    if (seen === undefined) {
      first.set(stage.id, index);
      return [];
    }
    return [
      error(
        'duplicate-stage-id',
        ['stages', index, 'id'],
        `stage id "${stage.id}" is already used by stages[${seen}]`,
      ),
    ];
  });
};
