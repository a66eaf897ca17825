import { runAction } from '../action/run-action.ts';
import { stepDispatch } from '../action/step-dispatch.ts';
import type { ResolvedSubject } from '../core/simulate/resolved-subject.ts';
import type { Script, ScriptStep } from '../core/simulate/script.ts';
import { MAX_EVENTS, SIMULATION_START, type TranscriptEntry } from '../core/simulate/simulation.ts';
import { decodeStateBlock } from '../core/state/decode-state.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import { createOctokit } from '../github/create-octokit.ts';
import type { Octo } from '../github/types.ts';
import { memoryFetch } from '../memory-github/memory-fetch.ts';
import { labelNodeId, type MemoryGitHub } from '../memory-github/memory-github.ts';
import { flushHeldLabels, type HeldLabels } from '../reconcile/apply-labels.ts';
import type { DispatchInputs, ReconcileDeps } from '../reconcile/reconcile-deps.ts';
import { reconcileRedone } from '../reconcile/reconcile-redone.ts';
import { SubjectComments } from '../reconcile/subject-comments.ts';
import type { SubjectEvent, Trigger } from '../reconcile/subject-event.ts';
import { changes, type IssueSnapshot, snapshot } from './issue-changes.ts';
import { offlineCodeStage } from './offline-code-stage.ts';
import { type Overrides, offlineModels } from './offline-models.ts';
import {
  SIMULATED_OWNER,
  SIMULATED_REPO,
  SIMULATED_REPO_ID,
  simulatedRepository,
} from './simulated-repository.ts';
import { DEMO_STATE_KEY, type GitHubSimulationOptions } from './simulation-options.ts';

/** The tokens of the simulated app and Action: the Action's posts as github-actions[bot], and is redacted. */
const APP_TOKEN = 'offline-app-token-0000';
const ACTION_TOKEN = 'offline-action-token-0000';

/**
 * One simulated run in progress: the in-memory GitHub, flowgate told of what happens on it (the reconcile, or a
 * shell such as the app), the stage steps run through the Action's code, and the transcript of what changed.
 */
export class SimulationSession {
  readonly workflow: Workflow;
  readonly script: Script;
  readonly subject: ResolvedSubject;
  readonly github: MemoryGitHub;
  /** Where the workflow file lives on the simulated default branch. */
  readonly workflowPath: string;
  readonly options: GitHubSimulationOptions;
  /** The scripted steps not taken yet. */
  readonly steps: ScriptStep[];
  readonly overrides: Overrides = { answers: [], decisions: [] };
  readonly entries: TranscriptEntry[] = [];
  readonly visited: string[] = [];
  readonly maxEvents: number;
  /** The simulated time, in milliseconds. */
  clock = Date.parse(SIMULATION_START);
  events = 0;
  state: RunState | undefined;
  /** The nonce of a step the script said never answers. */
  silent: string | undefined;
  #deps: ReconcileDeps;
  readonly #actionOctokit: Octo;
  readonly #models;
  readonly #runCodeStage;
  readonly #requested: DispatchInputs[] = [];
  readonly #webhooks: { url: string }[] = [];
  #dispatched = 0;

  constructor(
    workflow: Workflow,
    script: Script,
    subject: ResolvedSubject,
    options: GitHubSimulationOptions,
  ) {
    this.workflow = workflow;
    this.script = script;
    this.subject = subject;
    this.options = options;
    this.steps = [...(options.script?.steps ?? [])];
    this.maxEvents = options.maxEvents ?? MAX_EVENTS;
    const now = () => this.now();
    this.workflowPath = `.github/flowgate/${options.file.path.split('/').at(-1) ?? 'workflow.yml'}`;
    this.github = simulatedRepository({
      workflow,
      path: this.workflowPath,
      text: options.file.text,
      script,
      subject,
      starter: this.starter,
      now,
    });
    this.github.tokenLogins.set(ACTION_TOKEN, 'github-actions[bot]');
    const client = (token: string) =>
      createOctokit({ token, resilient: false, fetch: memoryFetch(this.github) }) as unknown as Octo;
    this.#actionOctokit = client(ACTION_TOKEN);
    this.#models = offlineModels(
      () => this.#deps.definitions.get(this.state?.definition ?? '') ?? workflow,
      this.overrides,
    );
    this.#runCodeStage = offlineCodeStage(this.github, subject.pr, this.overrides);
    let nonces = 0;
    this.#deps = {
      octokit: client(APP_TOKEN),
      config: {
        stateKey: DEMO_STATE_KEY,
        actionsWorkflow: 'flowgate.yml',
        startPermission: 'write',
        outputAuthors: ['github-actions[bot]', this.github.botLogin],
      },
      now,
      nonce: () => `sim${++nonces}`,
      blobs: new Map(),
      definitions: new Map([[this.github.blobSha(options.file.text), workflow]]),
      comments: new SubjectComments(),
      labels: new Map(),
      labelIds: new Map(),
      // Timers are the simulation's own: it moves the clock to a delay's end, a deadline, an archive's day.
      schedule: () => {},
      log: () => {},
      dispatch: async (request) => {
        this.#requested.push(request);
      },
      webhook: async (url) => {
        this.#webhooks.push({ url });
      },
    };
  }

  /** Who starts the run: the script's `started_by`, or the subject's author. */
  get starter(): string {
    return this.script.started_by ?? this.subject.author;
  }

  now(): string {
    return new Date(this.clock).toISOString();
  }

  /**
   * Something happened on GitHub (already made on the in-memory GitHub): flowgate is told, then every stage step it
   * asks for runs through the Action's code, its output delivered back in turn. Each is one transcript entry.
   */
  async happen(trigger: Trigger, line: string, notes: string[] = []): Promise<void> {
    const before = this.#snapshot();
    const from = this.state;
    const asked = await this.#deliver(this.#event(trigger));
    this.state = this.#readState() ?? this.state;
    this.#record(line, before, from, notes);
    for (;;) {
      const silenced = await this.#runAsked(asked);
      // A shell that held deliveries back (a dropped or late webhook) delivers them now: the run catches up.
      if (silenced || asked.length > 0 || this.options.shell?.settle === undefined) return;
      await this.options.shell.settle({ github: this.github, now: () => this.now() });
      asked.push(...this.#dispatchesSince());
      this.state = this.#readState() ?? this.state;
      if (asked.length === 0) return;
    }
  }

  /**
   * A scheduled sweep starts the run and carries it, in the sweep's job, until it waits for people or ends, as
   * `sweepWorkflow` does: no gate notice on the item (the sweep's end notice on its dashboard names the items
   * waiting and mentions their approvers), and the labels set once, when the sweep is done with the item. Through
   * a shell of its own (the app), the run starts there as any other.
   */
  async sweep(trigger: Trigger, line: string): Promise<void> {
    if (this.options.shell !== undefined) {
      await this.happen(trigger, line);
      return;
    }
    const held: HeldLabels = { add: new Map(), remove: new Set() };
    const plain = this.#deps;
    this.#deps = { ...plain, gateNotices: 'sweep-end', heldLabels: held };
    try {
      await this.happen(trigger, line);
    } finally {
      this.#deps = plain;
    }
    const before = this.#snapshot();
    const from = this.state;
    const issue = { owner: this.github.owner, repo: this.github.repo, number: this.subject.number };
    await flushHeldLabels(
      plain.octokit,
      issue,
      this.github.issues.get(issue.number)?.labels ?? [],
      held,
      plain,
    );
    const waiting = this.state?.wait?.for === 'approval' || this.state?.wait?.for === 'content';
    this.#record(
      waiting
        ? `the sweep is done with #${issue.number}: its labels are set, and the sweep's end notice on its dashboard names it among the items waiting at ${this.state?.stage ?? ''} and mentions their approvers`
        : `the sweep is done with #${issue.number}: its labels are set`,
      before,
      from,
      [],
    );
  }

  /**
   * Runs the stage steps asked for, each delivered back as its output comment, until none is asked for. True when
   * the script says a step's answer never comes (the run then waits for its deadline).
   */
  async #runAsked(asked: DispatchInputs[]): Promise<boolean> {
    let before: IssueSnapshot;
    let from: RunState | undefined;
    while (asked.length > 0 && this.events < this.maxEvents) {
      // Only the newest request of a run is current: the engine replaces a step by asking with a new nonce.
      const request = asked.splice(0).at(-1) as DispatchInputs;
      this.takeOverrides();
      const where = `${request.stage}, attempt ${request.attempt}`;
      const answer = this.overrides.answers.find((a) => a.stage === request.stage);
      if (request.step === 'response' && answer?.silent === true) {
        this.overrides.answers.splice(this.overrides.answers.indexOf(answer), 1);
        this.silent = request.nonce;
        const deadline = this.state?.wait?.for === 'action' ? this.state.wait.deadline : 'its deadline';
        this.note(`no ${request.step} arrives for ${where} (scripted): the run waits until ${deadline}`);
        return true;
      }
      before = this.#snapshot();
      from = this.state;
      const ran = await this.#runStep(request);
      const said =
        ran.outcome === 'posted'
          ? `posted the ${ran.kind}`
          : ran.outcome === 'stale'
            ? `skipped: ${ran.reason}`
            : `failed: ${ran.error}`;
      // The output comment is what tells flowgate the step is done (its webhook, for the app).
      const posted = ran.outcome === 'stale' ? undefined : ran.comments.at(-1);
      const trigger: Trigger =
        posted === undefined ? { kind: 'timer' } : { kind: 'comment', commentId: posted.id };
      asked.push(...(await this.#deliver(this.#event(trigger))));
      this.state = this.#readState() ?? this.state;
      this.#record(`Action: ${request.step} of ${where}: ${said}`, before, from, []);
    }
    return false;
  }

  /** Scripted answers and decisions at the head of the script wait for the next dispatches of their stage. */
  takeOverrides(): void {
    while (this.steps[0]?.kind === 'answer' || this.steps[0]?.kind === 'approver') {
      const step = this.steps.shift();
      if (step?.kind === 'answer') this.overrides.answers.push(step.answer);
      if (step?.kind === 'approver') this.overrides.decisions.push(step.approver);
    }
  }

  /** A transcript line that is no event on GitHub. */
  note(line: string, notes: string[] = []): void {
    this.entries.push({ at: this.now(), event: line, changed: false, history: [], effects: [], notes });
  }

  /** Tells flowgate what happened; resolves with the stage steps it asked for. */
  async #deliver(event: SubjectEvent): Promise<DispatchInputs[]> {
    const shell = this.options.shell;
    if (shell === undefined) {
      await reconcileRedone(event, this.#deps);
      return this.#requested.splice(0);
    }
    await shell.deliver(event, { github: this.github, now: () => this.now() });
    return this.#dispatchesSince();
  }

  /** The stage steps a shell asked for (its `workflow_dispatch`es) since it was last asked. */
  #dispatchesSince(): DispatchInputs[] {
    const asked = this.github.dispatches
      .slice(this.#dispatched)
      .filter((d) => d.workflow === this.#deps.config.actionsWorkflow);
    this.#dispatched = this.github.dispatches.length;
    return asked.map((d) => d.inputs as unknown as DispatchInputs);
  }

  /** A stage step, as the Action runs it when dispatched: its own code, on the simulated GitHub. */
  #runStep(request: DispatchInputs) {
    return runAction({
      inputs: {
        dispatch: stepDispatch(request),
        github: {
          token: ACTION_TOKEN,
          repo: { owner: SIMULATED_OWNER, repo: SIMULATED_REPO, id: SIMULATED_REPO_ID },
          apiUrl: 'https://api.github.com',
        },
        stateKey: DEMO_STATE_KEY,
      },
      octokit: this.#actionOctokit,
      definitions: this.#deps.definitions,
      models: this.#models,
      env: {},
      runCodeStage: this.#runCodeStage,
      log: { info: () => {}, warning: () => {} },
    });
  }

  #event(trigger: Trigger): SubjectEvent {
    const issue = this.github.issues.get(this.subject.number);
    return {
      deliveryId: `sim-${this.events + 1}`,
      repo: { owner: SIMULATED_OWNER, repo: SIMULATED_REPO, id: SIMULATED_REPO_ID },
      defaultBranch: this.github.defaultBranch,
      number: this.subject.number,
      isPull: this.subject.kind === 'pull_request',
      author: this.subject.author,
      title: this.subject.title,
      labels: [...(issue?.labels ?? [])],
      state: issue?.state === 'closed' ? 'closed' : 'open',
      // As a webhook's payload shows them: the subject's node id and its labels' (a status edit and label moves
      // then go in one request, as in the app).
      nodeId: `I_${this.subject.number}`,
      labelIds: (issue?.labels ?? []).map((name) => ({ name, nodeId: labelNodeId(name) })),
      trigger,
    };
  }

  /** The run's state as its status comment holds it now. */
  #readState(): RunState | undefined {
    let found: RunState | undefined;
    for (const c of this.github.comments) {
      if (c.issue !== this.subject.number || !c.body.includes('<!-- flowgate:status run=')) continue;
      const decoded = decodeStateBlock(c.body, DEMO_STATE_KEY, {
        id: SIMULATED_REPO_ID,
        number: this.subject.number,
      });
      if (decoded.ok && decoded.state.workflow === this.workflow.name) found = decoded.state;
    }
    return found;
  }

  #snapshot(): IssueSnapshot {
    return snapshot(this.github, this.subject.number, this.#webhooks.length);
  }

  #record(line: string, before: IssueSnapshot, from: RunState | undefined, notes: string[]): void {
    this.events++;
    const state = this.state;
    // The state keeps its newest history entries only: what this event added is what lies past the entries `from`
    // had, counting those trimmed since.
    const had = from === undefined || from.id !== state?.id ? 0 : from.history_trimmed + from.history.length;
    const added = state === undefined ? [] : state.history.slice(Math.max(0, had - state.history_trimmed));
    for (const h of added) {
      const entered = /^started at (\S+)$/.exec(h.what)?.[1] ?? /^\S+ -> (\S+)$/.exec(h.what)?.[1];
      if (entered !== undefined) this.visited.push(entered);
    }
    this.entries.push({
      n: this.events,
      at: this.now(),
      event: line,
      changed: state?.rev !== from?.rev,
      history: added.map((h) => (h.reason === undefined ? h.what : `${h.what} — ${h.reason}`)),
      effects: changes(before, this.#snapshot(), this.github, this.#webhooks),
      notes,
    });
    this.clock += 60_000;
  }
}
