const CRON_LINES = /^( +)- cron: .*\n(?:\1- cron: .*\n)*/m;

/** Replaces the `- cron:` lines of an Actions workflow's `on.schedule` with one line per cron expression. */
export function withSweepCrons(text: string, crons: string[]): string {
  return text.replace(CRON_LINES, (_lines, indent: string) =>
    crons.map((cron) => `${indent}- cron: ${JSON.stringify(cron)}\n`).join(''),
  );
}
