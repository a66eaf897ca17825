/**
 * How an agent tells flowgate what happened in one iteration (docs/code-stages.md, "The agent protocol"):
 *
 * - exit status 0: done;
 * - exit status 0 with `flowgate: continue` as the last non-empty line of standard output, or exit status 75
 *   (`EX_TEMPFAIL`, "try again"): run me again, with the original prompt and what I printed;
 * - any other exit status, or death by a signal: failed; the tail of standard error says why;
 * - still running after the iteration's timeout: killed, failed.
 */

/** The last line of standard output that asks for another iteration. */
export const CONTINUE_LINE = 'flowgate: continue';

/** The exit status that asks for another iteration (`EX_TEMPFAIL` of sysexits.h). */
export const CONTINUE_EXIT_CODE = 75;

export interface IterationEnd {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The tail of standard output. */
  stdout: string;
}

export type IterationOutcome = 'done' | 'continue' | 'failed';

/** What one iteration's end means under the protocol. */
export function iterationOutcome(end: IterationEnd): IterationOutcome {
  if (end.timedOut || end.exitCode === null) return 'failed';
  if (end.exitCode === CONTINUE_EXIT_CODE) return 'continue';
  if (end.exitCode !== 0) return 'failed';
  return asksToContinue(end.stdout) ? 'continue' : 'done';
}

/** True when the last non-empty line is `flowgate: continue` (letter case and spacing aside). */
export function asksToContinue(stdout: string): boolean {
  const lines = stdout.split(/\r?\n/).filter((line) => line.trim() !== '');
  const last = lines.at(-1);
  return last !== undefined && /^flowgate:\s*continue$/i.test(last.trim());
}
