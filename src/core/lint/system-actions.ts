import { SYSTEM_ACTION_KEYS } from '../schema/system-action.ts';
import { error, type LintRule } from './finding.ts';

/** Each item of `run` names exactly one action. */
export const oneActionPerItem: LintRule = ({ parsed }) =>
  parsed.stages.flatMap((stage, i) =>
    (stage.run ?? []).flatMap((action, j) => {
      const keys = Object.keys(action).filter((k) => action[k as keyof typeof action] !== undefined);
      if (keys.length === 1) return [];
      const message =
        keys.length === 0
          ? `an action names nothing to do (one of ${SYSTEM_ACTION_KEYS.join(', ')})`
          : `an action names ${keys.join(' and ')}; put each in its own list item`;
      return [error('one-action-per-item', ['stages', i, 'run', j], message)];
    }),
  );
