import { askTerminal } from './ask-terminal.ts';

/** What a CLI command may touch: injected so tests run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Asks the person at the terminal and resolves to the answer (undefined when input ends); absent when no terminal is attached. */
  ask?: (question: string) => Promise<string | undefined>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    ...(process.stdin.isTTY ? { ask: askTerminal } : {}),
  };
}

/** A failure the user caused (a missing file, a bad argument): reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
