import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { OutputTail } from './output-tail.ts';

export interface RunProcessParams {
  /** A shell command line, run by `/bin/sh -c`. */
  command: string;
  cwd: string;
  /** The whole environment of the process: nothing else is inherited. */
  env: Record<string, string>;
  /** Written to standard input, which is then closed. */
  stdin: string;
  timeoutMs: number;
  /** After the timeout: how long SIGTERM has to work before SIGKILL. */
  killGraceMs: number;
  /** Bytes of each stream kept in memory (the end is kept). */
  maxOutputBytes: number;
  /** Every piece of output as it arrives (for a live log). */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  now: () => number;
}

export interface ProcessEnd {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Why the process could not be started at all (a missing working directory, say). */
  spawnError?: string;
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  stderrBytes: number;
  durationMs: number;
}

/** After the process exits, how long its output pipes may stay open (held by a process that left the group). */
const DRAIN_MS = 2_000;
/** How long to wait for a killed group to disappear (an unreaped zombie keeps it listed). */
const GROUP_GONE_MS = 1_000;

/** Resolves once no process of the group is left, or after {@link GROUP_GONE_MS}. */
async function groupGone(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  const until = Date.now() + GROUP_GONE_MS;
  while (Date.now() < until) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs a command line through `/bin/sh -c` in its own process group, prompt on standard input, output kept
 * bounded. On timeout the whole group gets SIGTERM, then SIGKILL after the grace period. When the command ends,
 * whatever it left running in its group is killed too, so nothing of an iteration outlives it (a process that
 * started a new session escapes this; see docs/code-stages.md).
 */
export function runProcess(params: RunProcessParams): Promise<ProcessEnd> {
  const started = params.now();
  const stdout = new OutputTail(params.maxOutputBytes);
  const stderr = new OutputTail(params.maxOutputBytes);
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const child = spawn('/bin/sh', ['-c', params.command], {
      cwd: params.cwd,
      env: params.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const finish = (
      end: Omit<ProcessEnd, 'stdout' | 'stderr' | 'stdoutBytes' | 'stderrBytes' | 'durationMs'>,
    ) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      resolve({
        ...end,
        stdout: stdout.text(),
        stderr: stderr.text(),
        stdoutBytes: stdout.total,
        stderrBytes: stderr.total,
        durationMs: params.now() - started,
      });
    };

    for (const [name, tail] of [
      ['stdout', stdout],
      ['stderr', stderr],
    ] as const) {
      const decoder = new StringDecoder('utf8');
      child[name].on('data', (chunk: Buffer) => {
        tail.push(chunk);
        params.onOutput?.(name, decoder.write(chunk));
      });
    }
    // An agent that does not read its standard input closes it early: that is not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(params.stdin);

    child.on('error', (error) => {
      finish({ exitCode: null, signal: null, timedOut: false, spawnError: error.message });
    });
    timers.push(
      setTimeout(() => {
        timedOut = true;
        killGroup('SIGTERM');
        timers.push(setTimeout(() => killGroup('SIGKILL'), params.killGraceMs));
      }, params.timeoutMs),
    );
    child.on('exit', (exitCode, signal) => {
      // Whatever the command left behind in its group goes with it.
      killGroup('SIGKILL');
      const end = { exitCode, signal, timedOut };
      const drained = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        void groupGone(child.pid).then(() => finish(end));
      }, DRAIN_MS);
      timers.push(drained);
      child.on('close', () => void groupGone(child.pid).then(() => finish(end)));
    });
  });
}
