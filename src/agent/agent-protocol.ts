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

/**
 * True when the last non-empty line is `flowgate: continue` (letter case and spacing aside). `flowgate: usage`
 * lines after it do not count, so an agent may report its usage last.
 */
export function asksToContinue(stdout: string): boolean {
  const lines = stdout.split(/\r?\n/).filter((line) => line.trim() !== '' && !USAGE_LINE.test(line.trim()));
  const last = lines.at(-1);
  return last !== undefined && /^flowgate:\s*continue$/i.test(last.trim());
}

/** What an agent says it used: tokens, and the cost when it knows it. */
export interface AgentUsage {
  tokens_in: number;
  tokens_out: number;
  /** Undefined when no line gave a cost. */
  cost_usd?: number;
}

const USAGE_LINE = /^flowgate:\s*usage(?:\s+(.*))?$/i;
const USAGE_FIELDS = ['tokens_in', 'tokens_out', 'cost_usd'] as const;

/**
 * The usage an iteration reported on standard output, in lines like
 * `flowgate: usage tokens_in=52000 tokens_out=7400 cost_usd=0.268` (any of the three; several lines add up), or
 * undefined when it reported none. A field that is not a number >= 0, or that flowgate does not know, makes the
 * line count for nothing, and is said in `problems`.
 */
export function reportedUsage(stdout: string): { usage?: AgentUsage; problems: string[] } {
  const problems: string[] = [];
  let usage: AgentUsage | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    const match = USAGE_LINE.exec(raw.trim());
    if (match === null) continue;
    const fields: Partial<Record<(typeof USAGE_FIELDS)[number], number>> = {};
    let bad: string | undefined;
    for (const pair of (match[1] ?? '').split(/\s+/).filter((p) => p !== '')) {
      const [key, value, extra] = pair.split('=');
      const name = USAGE_FIELDS.find((f) => f === key);
      const number = Number(value);
      if (
        name === undefined ||
        extra !== undefined ||
        value === undefined ||
        value === '' ||
        !Number.isFinite(number) ||
        number < 0
      ) {
        bad = pair;
        break;
      }
      fields[name] = number;
    }
    if (bad !== undefined || Object.keys(fields).length === 0) {
      problems.push(
        `the line "${raw.trim().slice(0, 200)}" was not counted: write it as flowgate: usage tokens_in=<n> tokens_out=<n> cost_usd=<dollars>`,
      );
      continue;
    }
    usage = addUsage(usage, {
      tokens_in: Math.round(fields.tokens_in ?? 0),
      tokens_out: Math.round(fields.tokens_out ?? 0),
      ...(fields.cost_usd === undefined ? {} : { cost_usd: fields.cost_usd }),
    });
  }
  return { ...(usage === undefined ? {} : { usage }), problems };
}

/** Two usages added up; the cost stays unknown only while neither gives one. */
export function addUsage(a: AgentUsage | undefined, b: AgentUsage): AgentUsage {
  const cost =
    a?.cost_usd === undefined && b.cost_usd === undefined
      ? undefined
      : (a?.cost_usd ?? 0) + (b.cost_usd ?? 0);
  return {
    tokens_in: (a?.tokens_in ?? 0) + b.tokens_in,
    tokens_out: (a?.tokens_out ?? 0) + b.tokens_out,
    ...(cost === undefined ? {} : { cost_usd: cost }),
  };
}
