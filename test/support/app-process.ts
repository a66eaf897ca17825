import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { freePort } from './redis-server.ts';

/**
 * The app as its users run it: `npm start` in this repository, a process of its own with Probot's stock settings
 * (retries and throttling on), talking to a GitHub stand-in served over HTTP as a GitHub Enterprise Server
 * (`GHE_HOST`, routes under `/api/v3`). Webhooks are delivered over HTTP, signed as GitHub signs them.
 */
const ROOT = new URL('../..', import.meta.url).pathname;
const SECRET = 'process-webhook-secret';
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

export interface AppProcessOptions {
  /** The stand-in's address, `http://127.0.0.1:<port>` (served with the `/api/v3` prefix). */
  github: string;
  stateKey: string;
  /** More environment (REDIS_URL, ...). */
  env?: Record<string, string>;
}

export interface Delivered {
  status: number;
  ms: number;
}

export class AppProcess {
  readonly port: number;
  readonly #child: ChildProcess;
  /** Everything the process printed (Probot logs JSON lines with LOG_FORMAT=json). */
  output = '';
  /** Whether the process has exited (by itself, or killed). */
  exited = false;

  private constructor(port: number, child: ChildProcess) {
    this.port = port;
    this.#child = child;
    child.once('exit', () => {
      this.exited = true;
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
  }

  /** Runs `npm start` and waits until Probot listens. */
  static async start(options: AppProcessOptions): Promise<AppProcess> {
    const port = await freePort();
    const host = new URL(options.github).host;
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        APP_ID: '1',
        PRIVATE_KEY: PEM,
        WEBHOOK_SECRET: SECRET,
        HOST: '127.0.0.1',
        PORT: String(port),
        GHE_HOST: host,
        GHE_PROTOCOL: 'http',
        FLOWGATE_STATE_PRIVATE_KEY: options.stateKey,
        ...options.env,
      },
    });
    const app = new AppProcess(port, child);
    const kill = () => app.kill();
    process.once('exit', kill);
    child.once('exit', () => process.removeListener('exit', kill));
    const deadline = Date.now() + 30_000;
    while (!app.output.includes('Listening on')) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${app.output}`);
      if (Date.now() > deadline) {
        app.kill();
        throw new Error(`npm start did not listen within 30 s:\n${app.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return app;
  }

  /** Delivers one webhook as GitHub does; answers the HTTP status and how long the answer took. */
  async deliver(name: string, id: string, payload: unknown): Promise<Delivered> {
    const body = JSON.stringify(payload);
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${this.port}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': name,
        'x-github-delivery': id,
        'x-hub-signature-256': await sign(SECRET, body),
      },
      body,
    });
    await response.text();
    return { status: response.status, ms: performance.now() - started };
  }

  /** Stops the process group (npm and the node it started). */
  kill(): void {
    if (this.exited || this.#child.pid === undefined) return;
    try {
      process.kill(-this.#child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /**
   * Asks npm start and the app to stop (SIGTERM to the process group, as a container runtime sends it), and waits until every process of the group
   * has exited (npm exits at once; the app when its work is done); false when it still runs after 30 s.
   */
  async terminate(): Promise<boolean> {
    const pid = this.#child.pid;
    if (this.exited || pid === undefined) return true;
    process.kill(-pid, 'SIGTERM');
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 30_000;
    while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return !alive();
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.kill();
    await exited;
  }
}
