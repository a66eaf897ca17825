import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real redis-server for tests and benchmarks: its own process on a free loopback port, with persistence off, in
 * a temporary directory, stopped afterwards. The binary comes from PATH (`FLOWGATE_REDIS_SERVER` names another).
 * When it is missing, tests that need it are skipped locally, with how to install it, and fail in CI.
 */
const BINARY = process.env.FLOWGATE_REDIS_SERVER ?? 'redis-server';

/** Why Redis tests cannot run here, or undefined when they can. */
export function redisServerMissing(): string | undefined {
  const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  if (probe.error === undefined && probe.status === 0) return undefined;
  const why = probe.error?.message ?? `exit code ${probe.status}`;
  return (
    `${BINARY} cannot be run (${why}); the Redis lock tests need a real Redis server. Install it: ` +
    '`sudo apt-get install redis-server` (Debian, Ubuntu) or `brew install redis` (macOS); `.ci/run` installs it in CI.'
  );
}

/** Whether this is CI, where a missing redis-server fails the tests instead of skipping them. */
export const IN_CI = !['', '0', 'false', undefined].includes(process.env.CI);

/**
 * True when the Redis tests must be skipped (no redis-server, not in CI), saying why on stderr. In CI it is false
 * even without the binary, so `RedisServer.start` fails the tests with the same explanation.
 */
export function skipWithoutRedis(): boolean {
  const missing = redisServerMissing();
  if (missing === undefined || IN_CI) return false;
  console.warn(`skipped: ${missing}`);
  return true;
}

export class RedisServer {
  readonly port: number;
  readonly #dir: string;
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.#dir = dir;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a server on a free port (or on `port`, to bring one back where it was). */
  static async start(port?: number): Promise<RedisServer> {
    const missing = redisServerMissing();
    if (missing !== undefined) throw new Error(missing);
    const server = new RedisServer(
      port ?? (await freePort()),
      mkdtempSync(join(tmpdir(), 'flowgate-redis-')),
    );
    await server.#spawn();
    return server;
  }

  /** Stops the server as a crash would (SIGKILL): clients see the connection drop. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts the server again on the same port, empty. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  /** Stops the server and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #spawn(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn(BINARY, [...args, '--dir', this.#dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('did not get ready within 10 s')), 10_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`redis-server on port ${this.port}: ${error.message}\n${output}`));
      };
      child.on('error', fail);
      child.on('exit', (code) => fail(new Error(`exited with code ${code} before it was ready`)));
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
    });
    // A test process that ends without stopping it must not leave it behind.
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    child.once('exit', () => process.removeListener('exit', kill));
  }
}

/** A port nobody listens on at the moment, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}
