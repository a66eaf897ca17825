import { parseActionOutput } from '../../../src/core/action-output.ts';
import { decodeSweepState, type SweepState } from '../../../src/core/sweep/index.ts';
import { addBriefIssues } from '../../support/brief-issues.ts';
import { type Answer, GitHubStandIn, type Request } from '../../support/github-stand-in.ts';
import { ModelServer } from '../../support/model-server.ts';
import { type BundledRun, runBundledAction } from '../../support/run-bundled-action.ts';
import { serveStandIn } from '../../support/serve-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from '../../support/state-keys.ts';

export const TOKEN = 'ghs_test-token-0123456789';
export const STATE_KEY = STATE_PRIVATE_KEY;
export const OPENAI_KEY = 'sk-proj-test-key-0123456789';
const SHIFTED_CLOCK = new URL('../../support/shifted-clock.ts', import.meta.url).pathname;

export interface BriefsOptions {
  batchSize: number;
  /** `select.limit`: the sweep takes the lowest-numbered this many (default 500, the most). */
  limit?: number;
  /** The `on.schedule.budget` mapping's content (default: a budget no test reaches). */
  budget?: string;
  /** Each stage's declared `estimate` in tokens per item (default 15, what the scripted model uses). */
  estimateTokens?: number;
}

/** outline (automatic) -> edit (an editor approves its response) -> done, swept from the issues labelled `brief`. */
export function briefsWorkflow(options: BriefsOptions): string {
  return `version: 1
name: briefs
on:
  command: briefs
  subject: issue
  schedule:
    cron: "0 2 * * *"
    select: { type: issues, labels: brief, limit: ${options.limit ?? 500} }
    batch_size: ${options.batchSize}
    budget: { ${options.budget ?? 'max_tokens: 10000000'} }
    dashboard: { title: "Brief sweeps" }
providers:
  writer: openai/gpt-5-mini
defaults:
  gate: skip
stages:
  - id: outline
    provider: writer
    instructions: "Outline the article {{ subject.title }}."
    estimate: { tokens: ${options.estimateTokens ?? 15} }
  - id: edit
    provider: writer
    instructions: "Edit this outline of {{ subject.title }}: {{ outputs.outline }}"
    gate: { approver: manual }
    estimate: { tokens: ${options.estimateTokens ?? 15} }
    next: done
  - id: done
    type: terminal
`;
}

/** How a sweep job is started. */
export interface SweepJobOptions {
  /** GITHUB_RUN_ID: the lease holder is `run-<id>`. */
  runId: string;
  /** `schedule` (cron, the default) or `run-now` (workflow_dispatch with `sweep: briefs`, by maya). */
  trigger?: 'schedule' | 'run-now';
  /** Kills the job (SIGKILL) when aborted. */
  signal?: AbortSignal;
  /** Inputs besides (or instead of) the token and the pace. */
  with?: Record<string, string>;
}

/**
 * A repository with `count` open issues labelled `brief` and the briefs workflow, served over HTTP on 127.0.0.1,
 * a scripted model server, and the bundled Action started as a runner starts a sweep job. Every GitHub request is
 * counted by method and route (`calls`).
 */
export class SweepRig {
  readonly github: GitHubStandIn;
  readonly models: ModelServer;
  /** GitHub requests as `METHOD route`, the numbers in the path written `{n}`, oldest first. */
  readonly calls: string[] = [];
  /** Sees each GitHub request after the stand-in carried it out (a comment stored, an issue edited). */
  onAnswered: ((request: Request, answer: Answer) => void) | undefined;
  apiUrl = '';
  /** How far GitHub's clock, and the clock of the jobs started from now on, run ahead of the real one. */
  #offsetMs = 0;
  #close: () => Promise<void> = async () => {};

  private constructor(github: GitHubStandIn, models: ModelServer) {
    this.github = github;
    this.models = models;
  }

  static async start(count: number, workflow: string): Promise<SweepRig> {
    const github = new GitHubStandIn('acme', 'widgets', () =>
      new Date(Date.now() + rig.#offsetMs).toISOString(),
    );
    const rig: SweepRig = new SweepRig(github, await ModelServer.start());
    github.tokenLogins.set(TOKEN, 'github-actions[bot]');
    github.files.set('.github/flowgate/briefs.yml', workflow);
    github.permissions.set('maya', 'maintain');
    github.permissions.set('rudy', 'read');
    addBriefIssues(github, count, 'rudy');
    const handle = github.handle.bind(github);
    github.handle = (request) => {
      const answer = handle(request);
      rig.onAnswered?.(request, answer);
      return answer;
    };
    const served = await serveStandIn(github, (method, path) =>
      rig.calls.push(`${method} ${path.replace(/\/\d+(?=\/|$)/g, '/{n}')}`),
    );
    rig.apiUrl = served.url;
    rig.models.fallback = { text: 'A fine outline.', usage: { input: 10, output: 5 } };
    rig.#close = async () => {
      await rig.models.close();
      await served.close();
    };
    return rig;
  }

  close(): Promise<void> {
    return this.#close();
  }

  /** Lets `ms` milliseconds pass, for GitHub and for the jobs started from now on (their clocks are shifted). */
  later(ms: number): void {
    this.#offsetMs += ms;
  }

  /** One sweep job: the bundled Action for a `schedule` event (or a run now), as a runner starts it. */
  sweep(options: SweepJobOptions): Promise<BundledRun> {
    const runNow = options.trigger === 'run-now';
    const event = runNow
      ? {
          inputs: { sweep: 'briefs' },
          ref: 'refs/heads/main',
          repository: { name: 'widgets', owner: { login: 'acme' }, default_branch: 'main' },
          sender: { login: 'maya', type: 'User' },
        }
      : {
          schedule: '0 2 * * *',
          repository: { name: 'widgets', owner: { login: 'acme' }, default_branch: 'main' },
        };
    const offset = this.#offsetMs;
    const clock: Record<string, string> =
      offset === 0 ? {} : { NODE_OPTIONS: `--import ${SHIFTED_CLOCK}`, TEST_CLOCK_OFFSET_MS: String(offset) };
    return runBundledAction({
      apiUrl: this.apiUrl,
      event,
      env: {
        FLOWGATE_STATE_PRIVATE_KEY: STATE_KEY,
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: this.models.baseUrl('openai'),
        GITHUB_EVENT_NAME: runNow ? 'workflow_dispatch' : 'schedule',
        GITHUB_RUN_ID: options.runId,
        GITHUB_RUN_ATTEMPT: '1',
        ...clock,
      },
      // Pacing has its own tests (test/core/sweep, pacing-across-jobs); here it would only make the jobs wait.
      with: { 'github-token': TOKEN, 'sweep-pace': '1000000/minute, 1000000/hour, 0ms', ...options.with },
      timeoutMs: 120_000,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  /** The dashboard issue and its decoded sweep state. */
  dashboard(): { number: number; body: string; state: SweepState } {
    const entry = [...this.github.issues.entries()].find(([, i]) => i.title === 'Brief sweeps');
    if (entry === undefined) throw new Error('no dashboard issue');
    const body = entry[1].body ?? '';
    const decoded = decodeSweepState(body, STATE_KEY, REPO_ID);
    if (!decoded.ok) throw new Error(decoded.message);
    return { number: entry[0], body, state: decoded.state };
  }

  /** The Action's response comments, as `#<issue> <stage>` per comment. */
  responses(): string[] {
    return this.github.comments.flatMap((c) => {
      const parsed = c.body.includes('flowgate:output') ? parseActionOutput(c.body) : undefined;
      if (parsed?.ok !== true || parsed.output.kind !== 'response') return [];
      return [`#${c.issue} ${parsed.output.stage}`];
    });
  }

  /** Which item and stage each model request was for, from its prompt (`#<issue> <stage>`), oldest first. */
  modelCalls(): string[] {
    return this.models.requests.map((r) => {
      const prompt = JSON.stringify(r.body);
      const item = /Brief (\d+)/.exec(prompt)?.[1] ?? '?';
      return `#${item} ${prompt.includes('Edit this outline') ? 'edit' : 'outline'}`;
    });
  }
}

/** How many times each value occurs. */
export function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** The values that occur more than once. */
export function repeated(values: readonly string[]): string[] {
  return [...tally(values)].filter(([, n]) => n > 1).map(([v]) => v);
}
