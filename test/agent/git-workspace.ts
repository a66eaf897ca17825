import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const QUIET_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Mona',
  GIT_AUTHOR_EMAIL: 'mona@example.com',
  GIT_COMMITTER_NAME: 'Mona',
  GIT_COMMITTER_EMAIL: 'mona@example.com',
};

/** Runs git for a test's own set-up and checks (not the code under test), and returns its trimmed output. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: QUIET_ENV, encoding: 'utf8' }).trim();
}

/**
 * A temporary directory with a bare repository `origin.git` (default branch `main`, two commits) and `work`, a
 * shallow clone of it such as actions/checkout makes (depth 1, no credentials kept).
 */
export class GitWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'flowgate-publish-'));
  readonly origin = join(this.dir, 'origin.git');
  readonly work = join(this.dir, 'work');

  constructor() {
    const seed = join(this.dir, 'seed');
    git(this.dir, 'init', '--quiet', '--bare', this.origin);
    git(this.origin, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    git(this.dir, 'init', '--quiet', '--initial-branch=main', seed);
    writeFileSync(join(seed, 'README.md'), '# widgets\n');
    git(seed, 'add', '.');
    git(seed, 'commit', '--quiet', '-m', 'Start widgets');
    writeFileSync(join(seed, 'sync.js'), 'export function sync() {}\n');
    writeFileSync(join(seed, '.gitignore'), 'build/\n');
    git(seed, 'add', '.');
    git(seed, 'commit', '--quiet', '-m', 'Add sync');
    git(seed, 'push', '--quiet', this.origin, 'main');
    this.clone();
  }

  /** A fresh checkout of main, as a new Actions job makes. */
  clone(): void {
    rmSync(this.work, { recursive: true, force: true });
    git(this.dir, 'clone', '--quiet', '--depth', '1', `file://${this.origin}`, this.work);
  }

  /** The commit `ref` points at in origin, or undefined. */
  remoteHead(ref: string): string | undefined {
    try {
      return git(this.origin, 'rev-parse', '--verify', '--quiet', `refs/heads/${ref}`);
    } catch {
      return undefined;
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
