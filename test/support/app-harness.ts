import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Probot, ProbotOctokit } from 'probot';
import type { AppConfig } from '../../src/app/app-config.ts';
import { flowgateApp } from '../../src/app/flowgate-app.ts';
import type { SubjectLock } from '../../src/app/subject-lock.ts';
import type { AppTimers } from '../../src/app/timers.ts';
import type { ActionOutputDraft } from '../../src/core/action-output.ts';
import { formatActionOutput } from '../../src/core/action-output.ts';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import { labelNodeId } from '../../src/memory-github/memory-github.ts';
import { GitHubStandIn } from './github-stand-in.ts';
import { mountStandIn } from './nock-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from './state-keys.ts';

const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: Record<string, unknown>[];
}[];

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
export const STATE_KEY = STATE_PRIVATE_KEY;

// biome-ignore lint/suspicious/noExplicitAny: tests edit webhook payloads freely, field by field.
export type Payload = Record<string, any>;

/** A real payload from @octokit/webhooks-examples for `name` with `action`, deep-copied. */
export function example(name: string, action: string): Payload {
  const examples = EXAMPLES.find((e) => e.name === name)?.examples ?? [];
  const exact = examples.find((x) => x.action === action);
  // A few actions have no example (issues.closed); another action of the same event has the same shape.
  const found = exact ?? examples[0];
  if (found === undefined) throw new Error(`no example of ${name}`);
  return { ...(structuredClone(found) as Payload), action };
}

/**
 * A real example payload of `name`/`action`, pointed at acme/widgets (installation 42) and at issue or pull request
 * `number` as the stand-in holds it, then changed by `edit`.
 */
export function subjectPayload(
  github: GitHubStandIn,
  name: string,
  action: string,
  number: number,
  edit: (p: Payload) => void = () => {},
): Payload {
  const payload = example(name, action);
  payload.repository.id = REPO_ID;
  payload.repository.name = 'widgets';
  payload.repository.owner.login = 'acme';
  payload.repository.full_name = 'acme/widgets';
  payload.repository.default_branch = 'main';
  payload.installation = { id: 42, node_id: 'x' };
  const issue = github.issues.get(number);
  const target = payload.issue ?? payload.pull_request;
  if (target !== undefined && issue !== undefined) {
    target.number = number;
    target.title = issue.title;
    target.user.login = issue.author;
    target.state = issue.state;
    target.node_id = `I_${number}`;
    target.labels = issue.labels.map((name) => ({ name, node_id: labelNodeId(name) }));
    if (payload.issue !== undefined && issue.pull) payload.issue.pull_request = { url: '' };
  }
  edit(payload);
  return payload;
}

export interface HarnessOptions {
  /** The app's subject lock (default: its own in-process queue). */
  lock?: SubjectLock;
  /** Another harness whose GitHub stand-in, clock, delivery ids and nonces this one shares: a second replica. */
  sharing?: AppHarness;
  /** The app's timers (default: none; the test closes them). They start as the app is loaded. */
  timers?: AppTimers;
  /** The app's state key ring (default: `STATE_KEY` alone); previous public keys follow it, comma-separated. */
  stateKey?: string;
}

/**
 * The app, a Probot with retries and throttling off, talking to a GitHub stand-in through nock. `replica()` adds
 * another app instance (its own Probot) on the same stand-in, as a second server behind a load balancer would be.
 */
export class AppHarness {
  readonly github: GitHubStandIn;
  readonly probot: Probot;
  readonly #shared: { delivery: number; minute: number; nonce: number };
  readonly start = Date.UTC(2026, 0, 5, 9, 0);

  constructor(
    workflowFiles: Record<string, string>,
    people: Record<string, string>,
    options: HarnessOptions = {},
  ) {
    if (options.sharing !== undefined) {
      this.github = options.sharing.github;
      this.#shared = options.sharing.#shared;
    } else {
      this.#shared = { delivery: 0, minute: 0, nonce: 0 };
      this.github = new GitHubStandIn('acme', 'widgets', () => this.now());
      mountStandIn(this.github);
    }
    for (const [path, text] of Object.entries(workflowFiles)) this.github.files.set(path, text);
    for (const [login, role] of Object.entries(people)) this.github.permissions.set(login, role);
    const config: AppConfig = {
      stateKey: options.stateKey ?? STATE_KEY,
      actionsWorkflow: 'flowgate.yml',
      startPermission: 'write',
      outputAuthors: ['github-actions[bot]'],
    };
    this.probot = new Probot({
      appId: 1,
      privateKey: PEM,
      githubToken: undefined,
      // Retries and throttling off, as Probot's own tests do: no waiting, no repeated requests.
      Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
        ...options,
        retry: { enabled: false },
        throttle: { enabled: false },
      })),
      logLevel: (process.env.FLOWGATE_TEST_LOG as never) ?? 'fatal',
    });
    const shared = this.#shared;
    const lock = options.lock;
    this.probot.load((app) =>
      flowgateApp(app, {
        config,
        now: () => this.now(),
        nonce: () => `nonce-${++shared.nonce}`,
        timers: options.timers ?? false,
        ...(lock === undefined ? {} : { lock }),
      }),
    );
  }

  /** Another instance of the app, on the same GitHub stand-in and clock, serialising subjects with `lock`. */
  replica(lock: SubjectLock, timers?: AppTimers): AppHarness {
    return new AppHarness({}, {}, { lock, sharing: this, ...(timers === undefined ? {} : { timers }) });
  }

  /** The shared clock in ms, for timers measured against the app's simulated time. */
  clock(): number {
    return Date.parse(this.now());
  }

  now(): string {
    return new Date(this.start + this.#shared.minute * 60_000).toISOString();
  }

  tick(minutes = 1): void {
    this.#shared.minute += minutes;
  }

  newIssue(number: number, author: string, title = 'Add a dark mode', pull = false): void {
    this.github.issues.set(number, { title, author, labels: [], state: 'open', pull });
    if (pull) this.github.pulls.set(number, { head: 'a'.repeat(40), base: 'main', author });
  }

  /** Delivers a webhook built from a real example payload, pointed at our repository and issue. */
  async deliver(
    name: string,
    action: string,
    number: number,
    edit: (p: Payload) => void = () => {},
    id?: string,
  ) {
    this.tick();
    const payload = subjectPayload(this.github, name, action, number, edit);
    const delivery = id ?? `delivery-${++this.#shared.delivery}`;
    await this.probot.receive({ id: delivery, name: name as never, payload: payload as never });
    return delivery;
  }

  /** A person comments (the comment is stored first, as on GitHub, then its webhook is delivered). */
  async comment(number: number, login: string, body: string, edit: (p: Payload) => void = () => {}) {
    this.tick();
    const comment = this.github.addComment(number, login, body);
    await this.deliver('issue_comment', 'created', number, (p) => {
      p.comment.id = comment.id;
      p.comment.body = body;
      p.comment.user.login = login;
      p.comment.user.type = 'User';
      p.sender.login = login;
      p.sender.type = 'User';
      edit(p);
    });
    return comment;
  }

  /** The Action reports a result: an output comment by github-actions[bot], then its webhook. */
  async actionOutput(number: number, output: ActionOutputDraft, visible: string) {
    this.tick();
    const body = formatActionOutput(output, visible);
    const comment = this.github.addComment(number, 'github-actions[bot]', body, 'Bot');
    await this.deliver('issue_comment', 'created', number, (p) => {
      p.comment.id = comment.id;
      p.comment.body = body;
      p.comment.user.login = 'github-actions[bot]';
      p.comment.user.type = 'Bot';
      p.sender.login = 'github-actions[bot]';
      p.sender.type = 'Bot';
    });
    return comment;
  }

  /** Answers the last dispatch the app made, as the Action would. */
  async answerLastDispatch(
    number: number,
    extra: Partial<ActionOutputDraft> = {},
    text = 'Here is the plan.',
  ) {
    const d = this.github.dispatches.at(-1);
    if (d === undefined) throw new Error('nothing was dispatched');
    const usage = { tokens_in: 120, tokens_out: 380, cost_usd: 0.004 };
    const base = {
      run: d.inputs.run_id ?? '',
      stage: d.inputs.stage ?? '',
      attempt: Number(d.inputs.attempt),
      nonce: d.inputs.nonce ?? '',
    };
    return this.actionOutput(
      number,
      { kind: 'response', ...base, usage, ...extra } as ActionOutputDraft,
      text,
    );
  }

  /** The run state held by the status comment on `number` (the only run, or the one of `workflow`). */
  state(number: number): RunState {
    const status = this.github.botComments(number).find((c) => c.body.includes('<!-- flowgate:status run='));
    if (status === undefined) throw new Error(`no status comment on #${number}`);
    const decoded = decodeStateBlock(status.body, STATE_KEY, { id: REPO_ID, number });
    if (!decoded.ok) throw new Error(decoded.message);
    return decoded.state;
  }

  /** The bot's replies (not the status comment), oldest first, without their markers. */
  replies(number: number): string[] {
    return this.github
      .botComments(number)
      .filter((c) => !c.body.includes('<!-- flowgate:status run='))
      .map((c) => c.body.replace(/(\n*<!-- flowgate:(reply|handled) [^>]* -->)+\s*$/, ''));
  }
}

export function readExample(name: string): string {
  return readFileSync(new URL(`../../workflows-examples/${name}`, import.meta.url), 'utf8');
}
