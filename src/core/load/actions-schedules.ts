import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/** One `cron:` line of an Actions workflow's `on.schedule`, where it is written. */
export interface ActionsSchedule {
  file: string;
  line: number;
  col: number;
  cron: string;
}

/**
 * The `on.schedule` cron lines of an Actions workflow that runs the flowgate Action (a step that
 * `uses: …/flowgate/action@…`); none for any other workflow, or for one that is not YAML.
 */
export function actionsSchedules(file: string, text: string): ActionsSchedule[] {
  if (!/^\s*(?:-\s+)?uses:\s*\S+\/flowgate\/action@/m.test(text)) return [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) return [];
  const schedule = doc.getIn(['on', 'schedule'], true);
  if (!isSeq(schedule)) return [];
  return schedule.items.flatMap((item) => {
    const cron = isMap(item) ? item.get('cron', true) : undefined;
    if (!isScalar(cron) || typeof cron.value !== 'string' || !cron.range) return [];
    const { line, col } = lines.linePos(cron.range[0]);
    return [{ file, line, col, cron: cron.value }];
  });
}
