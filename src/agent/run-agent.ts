import { agentEnvironment, type Environment } from './agent-environment.ts';
import { type AgentUsage, addUsage, iterationOutcome, reportedUsage } from './agent-protocol.ts';
import { continuePrompt } from './continue-prompt.ts';
import { findPersistedCredentials } from './find-persisted-credentials.ts';
import { redactSecrets } from './redact-secrets.ts';
import { type ProcessEnd, runProcess } from './run-process.ts';

export interface RunAgentParams {
  /** The provider's `run`: the agent command line, run by `/bin/sh -c`. */
  command: string;
  /** The rendered stage prompt; it arrives on standard input. */
  prompt: string;
  /** The checkout the agent works in. */
  cwd: string;
  /** The provider's `max_iterations`. */
  maxIterations: number;
  /** One iteration's time limit: the provider's `timeout_minutes` × 60,000. */
  timeoutMs: number;
  /** The provider's `pass_env`. */
  passEnv?: readonly string[];
  /** False when the checked-out code comes from a fork (a pull request whose head is in another repository). */
  trusted: boolean;
  /** The job's environment, which the agent's is filtered from (default `process.env`). */
  parentEnv?: Environment;
  /** After a timeout, how long SIGTERM has to work before SIGKILL (default 10 s). */
  killGraceMs?: number;
  /** Bytes of each output stream kept per iteration (default 1 MiB; the end is kept). */
  maxOutputBytes?: number;
  /** Output as it arrives, secrets redacted (best effort: per piece). */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Called after each iteration. */
  onIteration?: (record: IterationRecord) => void;
  now?: () => number;
}

export interface IterationRecord {
  /** Counted from 1. */
  iteration: number;
  outcome: 'done' | 'continue' | 'failed';
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  stdoutBytes: number;
  stderrBytes: number;
  /** What the iteration said it used (`flowgate: usage` lines), if it said. */
  usage?: AgentUsage;
  /** `flowgate: usage` lines that could not be read, in words. */
  usageProblems?: string[];
}

/** The usage all iterations reported, added up; undefined when none reported any. */
export function agentUsage(iterations: readonly IterationRecord[]): AgentUsage | undefined {
  let total: AgentUsage | undefined;
  for (const { usage } of iterations) if (usage !== undefined) total = addUsage(total, usage);
  return total;
}

export type AgentFailureReason = 'refused' | 'spawn' | 'exit' | 'signal' | 'timeout' | 'max_iterations';

export type AgentRun =
  | {
      status: 'done';
      iterations: IterationRecord[];
      /** The end of what the last iteration printed on standard output (secrets redacted). */
      output: string;
      /** `pass_env` names the job did not have, for a warning. */
      missingEnv: string[];
    }
  | {
      status: 'failed';
      reason: AgentFailureReason;
      /** What went wrong, in words, ready for a failure output (secrets redacted). */
      message: string;
      iterations: IterationRecord[];
      output: string;
      missingEnv: string[];
    };

const STDERR_TAIL_CHARS = 2_000;

/**
 * Runs a command stage's agent in the checkout until it reports done (the protocol is in agent-protocol.ts): up
 * to `maxIterations` runs, each with the time limit, a filtered environment (agent-environment.ts) and the
 * prompt on standard input; a later iteration gets the original prompt plus what the previous one printed.
 * Refuses to start when the checkout keeps a git credential the agent could read, or when the stage asks for
 * variables it may not have. Never throws for what the agent does: every end is a result.
 */
export async function runAgent(params: RunAgentParams): Promise<AgentRun> {
  const now = params.now ?? (() => performance.now());
  const iterations: IterationRecord[] = [];
  const passEnv = params.passEnv ?? [];
  const failed = (
    reason: AgentFailureReason,
    message: string,
    output = '',
    missingEnv: string[] = [],
  ): AgentRun => ({
    status: 'failed',
    reason,
    message,
    iterations,
    output,
    missingEnv,
  });
  if (!Number.isSafeInteger(params.maxIterations) || params.maxIterations < 1) {
    throw new Error(`max_iterations must be a whole number >= 1, not ${params.maxIterations}`);
  }
  if (!(params.timeoutMs > 0))
    throw new Error(`an iteration timeout must be > 0 ms, not ${params.timeoutMs}`);

  const probe = agentEnvironment({
    parent: params.parentEnv ?? process.env,
    passEnv,
    trusted: params.trusted,
  });
  if (!probe.ok) return failed('refused', probe.message);
  const persisted = await findPersistedCredentials(params.cwd).catch(() => []);
  if (persisted.length > 0) {
    return failed(
      'refused',
      `refused to run the agent: the checkout keeps a git credential the agent could read (${persisted.join(', ')}). ` +
        'Check out with `persist-credentials: false` (actions/checkout); flowgate pushes with its own token.',
    );
  }

  const hide = (text: string) => redactSecrets(text, probe.secrets);
  let prompt = params.prompt;
  for (let iteration = 1; iteration <= params.maxIterations; iteration++) {
    const environment = agentEnvironment({
      parent: params.parentEnv ?? process.env,
      passEnv,
      trusted: params.trusted,
      set: {
        FLOWGATE_ITERATION: String(iteration),
        FLOWGATE_MAX_ITERATIONS: String(params.maxIterations),
        GIT_TERMINAL_PROMPT: '0',
      },
    });
    if (!environment.ok) return failed('refused', environment.message);
    const end = await runProcess({
      command: params.command,
      cwd: params.cwd,
      env: environment.env,
      stdin: prompt,
      timeoutMs: params.timeoutMs,
      killGraceMs: params.killGraceMs ?? 10_000,
      maxOutputBytes: params.maxOutputBytes ?? 1024 * 1024,
      ...(params.onOutput === undefined
        ? {}
        : { onOutput: (stream, text) => params.onOutput?.(stream, hide(text)) }),
      now,
    });
    const outcome = end.spawnError === undefined ? iterationOutcome(end) : 'failed';
    const record: IterationRecord = {
      iteration,
      outcome,
      exitCode: end.exitCode,
      signal: end.signal,
      timedOut: end.timedOut,
      durationMs: Math.round(end.durationMs),
      stdoutBytes: end.stdoutBytes,
      stderrBytes: end.stderrBytes,
    };
    const reported = reportedUsage(end.stdout);
    if (reported.usage !== undefined) record.usage = reported.usage;
    if (reported.problems.length > 0) record.usageProblems = reported.problems.map(hide);
    iterations.push(record);
    params.onIteration?.(record);
    const output = hide(end.stdout);
    const missing = environment.missing;

    if (outcome === 'done') return { status: 'done', iterations, output, missingEnv: missing };
    if (outcome === 'failed') {
      const [reason, message] = describeFailure(end, iteration, params.timeoutMs);
      return failed(reason, hide(message), output, missing);
    }
    if (iteration === params.maxIterations) {
      return failed(
        'max_iterations',
        `the agent did not report done within ${params.maxIterations} iteration${params.maxIterations === 1 ? '' : 's'} ` +
          `(max_iterations): its last iteration asked to continue. Raise max_iterations, or split the task.${lastWords(output, 'Its output ended with')}`,
        output,
        missing,
      );
    }
    prompt = continuePrompt({
      prompt: params.prompt,
      iteration: iteration + 1,
      maxIterations: params.maxIterations,
      previousOutput: output,
    });
  }
  // The loop returns on its last iteration; this keeps the compiler sure of it.
  return failed('max_iterations', 'the agent ran no iteration');
}

function describeFailure(
  end: ProcessEnd,
  iteration: number,
  timeoutMs: number,
): [AgentFailureReason, string] {
  const where = `in iteration ${iteration}`;
  if (end.spawnError !== undefined)
    return ['spawn', `the agent could not be started ${where}: ${end.spawnError}`];
  if (end.timedOut) {
    return [
      'timeout',
      `the agent ran longer than ${formatDuration(timeoutMs)} ${where} (timeout_minutes) and was killed.${lastWords(end.stderr, 'Its standard error ended with')}`,
    ];
  }
  if (end.exitCode === null) {
    return [
      'signal',
      `the agent was killed by ${end.signal ?? 'a signal'} ${where}.${lastWords(end.stderr, 'Its standard error ended with')}`,
    ];
  }
  return [
    'exit',
    `the agent failed with exit status ${end.exitCode} ${where}.${lastWords(end.stderr, 'Its standard error ended with') || lastWords(end.stdout, 'It printed nothing on standard error; its output ended with')}`,
  ];
}

/** ` <label>:\n<tail>`, or nothing when the text is empty. */
function lastWords(text: string, label: string): string {
  const trimmed = text.replace(/\s+$/, '');
  if (trimmed === '') return '';
  const tail = trimmed.length > STDERR_TAIL_CHARS ? `…${trimmed.slice(-STDERR_TAIL_CHARS)}` : trimmed;
  return ` ${label}:\n${tail}`;
}

function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  if (ms % 1_000 === 0) return `${ms / 1_000} s`;
  return `${ms} ms`;
}
