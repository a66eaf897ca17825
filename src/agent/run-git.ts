import { execFile } from 'node:child_process';
import { redactSecrets } from './redact-secrets.ts';

export interface RunGitOptions {
  /** The working directory (`git -C`-like). */
  cwd: string;
  /** Variables added to git's environment (on top of the minimal one below). */
  env?: Record<string, string>;
  /** Values to hide in an error message (a push token and its encodings). */
  secrets?: readonly string[];
  /** Exit statuses that are answers, not failures (`git diff --quiet` answers 1). */
  okCodes?: readonly number[];
}

export interface GitResult {
  stdout: string;
  code: number;
}

/** The failure of a git command: the command (without secrets) and the end of what git said. */
export class GitError extends Error {
  readonly code: number | null;
  readonly stderr: string;
  constructor(message: string, code: number | null, stderr: string) {
    super(message);
    this.name = 'GitError';
    this.code = code;
    this.stderr = stderr;
  }
}

/**
 * Runs `git` with an argument list (execFile: no shell, so no value is ever interpreted as shell syntax) and a
 * minimal environment: `PATH` and `HOME` of this process, the C locale, no terminal prompts, and neither the
 * system nor the user's global git config (an agent can write `~/.gitconfig`). Hooks and fsmonitor are off for
 * the same reason: they would run the checkout's own commands.
 */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...options.env,
  };
  const full = [
    '-c',
    'core.hooksPath=/dev/null',
    '-c',
    'core.fsmonitor=false',
    '-c',
    `safe.directory=${options.cwd}`,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      full,
      { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        if (code !== null && (code === 0 || options.okCodes?.includes(code))) {
          resolve({ stdout, code });
          return;
        }
        const secrets = options.secrets ?? [];
        const said = redactSecrets(stderr.trim() || (error?.message ?? ''), secrets);
        const tail = said.length > 2_000 ? `…${said.slice(-2_000)}` : said;
        reject(
          new GitError(
            `git ${redactSecrets(args.join(' '), secrets)} failed${code === null ? '' : ` (exit status ${code})`}: ${tail}`,
            code,
            said,
          ),
        );
      },
    );
  });
}
