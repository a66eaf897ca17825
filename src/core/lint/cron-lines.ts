import { Cron } from 'croner';
import { error, type LintRule } from './finding.ts';

/** Croner accepts these, GitHub Actions' `on.schedule` does not: last (L), weekday (W), nth (#), any (?). */
const NOT_IN_ACTIONS = /[#?]|(?:^|[^A-Za-z])[LW](?:[^A-Za-z]|$)/;

/**
 * Each cron line of `on.schedule` is one GitHub Actions can run: five fields in range (minute 0-59, hour 0-23,
 * day 1-31, month 1-12 or JAN-DEC, weekday 0-7 or SUN-SAT), with only `*`, `,`, `-` and `/`. Checked by croner, as
 * the schema only checks that there are five fields.
 */
export const cronLines: LintRule = ({ parsed }) =>
  (parsed.on.schedule?.cron ?? []).flatMap((line, i) => {
    const path = ['on', 'schedule', 'cron', i];
    const unsupported = NOT_IN_ACTIONS.exec(line)?.[0];
    if (unsupported !== undefined) {
      return [
        error(
          'cron-line',
          path,
          `"${line}" uses ${unsupported.replace(/[^#?LW]/g, '')}, which GitHub Actions schedules do not support (numbers or names, *, ",", "-" and "/" only)`,
        ),
      ];
    }
    try {
      new Cron(line, { legacyMode: true, paused: true });
      return [];
    } catch (thrown) {
      const reason = (thrown instanceof Error ? thrown.message : String(thrown)).replace(
        /^CronPattern: /,
        '',
      );
      return [error('cron-line', path, `"${line}" is not a cron line GitHub Actions can run: ${reason}`)];
    }
  });
