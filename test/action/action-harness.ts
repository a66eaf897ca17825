import { parseActionOutput } from '../../src/core/action-output.ts';
import { AppHarness } from '../support/app-harness.ts';
import type { StoredComment } from '../support/github-stand-in.ts';
import { type BundledRun, runBundledAction } from '../support/run-bundled-action.ts';
import { serveStandIn } from '../support/serve-stand-in.ts';
import { STATE_PUBLIC_KEY } from '../support/state-keys.ts';

export const TOKEN = 'ghs_test-token-0123456789';
/** The key the Action beside the app holds: the app's public key. */
export const STATE_KEY = STATE_PUBLIC_KEY;

/**
 * The app and the bundled Action against one GitHub stand-in: the app (Probot) reaches it through nock, the Action
 * (a child process) over HTTP on 127.0.0.1. The Action's token posts as github-actions[bot], as GITHUB_TOKEN does.
 */
export class ActionHarness {
  readonly app: AppHarness;
  readonly apiUrl: string;
  readonly close: () => Promise<void>;
  #delivered = new Set<number>();

  private constructor(app: AppHarness, apiUrl: string, close: () => Promise<void>) {
    this.app = app;
    this.apiUrl = apiUrl;
    this.close = close;
  }

  static async start(files: Record<string, string>, people: Record<string, string>): Promise<ActionHarness> {
    const app = new AppHarness(files, people);
    app.github.tokenLogins.set(TOKEN, 'github-actions[bot]');
    // Pagination links point at the local server; the app follows them there too (loopback is allowed).
    const served = await serveStandIn(app.github);
    return new ActionHarness(app, served.url, served.close);
  }

  get github() {
    return this.app.github;
  }

  /** The inputs of the app's last dispatch. */
  lastDispatch(): Record<string, string> {
    const d = this.github.dispatches.at(-1);
    if (d === undefined) throw new Error('nothing was dispatched');
    return d.inputs;
  }

  /** Runs the bundled Action on the app's last dispatch (or on `event`), with `env` added. */
  run(env: Record<string, string> = {}, options: { event?: unknown; with?: Record<string, string> } = {}) {
    const event = options.event ?? { inputs: this.lastDispatch() };
    return runBundledAction({
      apiUrl: this.apiUrl,
      event,
      env: { FLOWGATE_STATE_PUBLIC_KEY: STATE_KEY, ...env },
      with: { 'github-token': TOKEN, ...options.with },
    });
  }

  /** Output comments the Action posted on `number` (github-actions[bot]), oldest first. */
  outputs(number: number): StoredComment[] {
    return this.github.comments.filter((c) => c.issue === number && c.login === 'github-actions[bot]');
  }

  /** The parsed outputs the Action posted on `number`. */
  parsedOutputs(number: number) {
    return this.outputs(number).map((c) => {
      const parsed = parseActionOutput(c.body);
      if (parsed?.ok !== true) throw new Error(`comment ${c.id} is no valid output`);
      return parsed;
    });
  }

  /** Delivers the webhook of every output comment the app has not been told about yet. */
  async deliverOutputs(number: number): Promise<void> {
    for (const c of this.outputs(number)) {
      if (this.#delivered.has(c.id)) continue;
      this.#delivered.add(c.id);
      await this.app.deliver('issue_comment', 'created', number, (p) => {
        p.comment.id = c.id;
        p.comment.body = c.body;
        p.comment.user.login = c.login;
        p.comment.user.type = 'Bot';
        p.sender.login = c.login;
        p.sender.type = 'Bot';
      });
    }
  }

  /** Runs the Action on the last dispatch, expects it to succeed, and hands its outputs to the app. */
  async step(number: number, env: Record<string, string> = {}): Promise<BundledRun> {
    const result = await this.run(env);
    if (result.code !== 0)
      throw new Error(`the Action failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
    await this.deliverOutputs(number);
    return result;
  }
}
