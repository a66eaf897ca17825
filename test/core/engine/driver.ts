import { parseCommands } from '../../../src/core/commands/parse-commands.ts';
import type { Effect } from '../../../src/core/engine/effects.ts';
import type { Actor, EngineEvent, EventOf } from '../../../src/core/engine/events.ts';
import { type StepResult, startRun, step } from '../../../src/core/engine/step.ts';
import { loadWorkflow } from '../../../src/core/load/load-workflow.ts';
import type { Permission } from '../../../src/core/schema/gate.ts';
import type { RunState, StageRecord, Subject, Usage, Wait } from '../../../src/core/state/run-state.ts';
import type { Workflow } from '../../../src/core/workflow.ts';

/** The time the first event happens; every later event is one minute on. */
export const START = Date.UTC(2025, 0, 1, 12, 0);

/** A workflow header naming three providers, so stage lists can be short. */
export const HEADER = `version: 1
name: demo
providers:
  writer: anthropic/claude-sonnet-4-5
  checker: openai/gpt-5-mini
  agent: { use: command, run: "codex exec --json -" }
`;

/**
 * A whole workflow file: `HEADER`, any extra top-level keys, then `stages:` with the given list. Stages that declare
 * no gate pass on their own (`defaults: { gate: skip }`) unless `extra` writes its own `defaults`.
 */
export function flow(stages: string, extra = ''): string {
  const defaults = extra.includes('defaults:') ? '' : 'defaults: { gate: skip }\n';
  return `${HEADER}${defaults}${extra}stages:\n${stages}`;
}

/** Loads a workflow from YAML text; errors (not warnings) fail the test with the loader's messages. */
export async function workflowOf(text: string): Promise<Workflow> {
  const result = await loadWorkflow('flow.yml', text);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.workflow === undefined || errors.length > 0) {
    throw new Error(`the test workflow does not load:\n${errors.map((d) => d.message).join('\n')}`);
  }
  return result.workflow;
}

/** Someone acting on the run, by login; omitted facts default to write permission, no teams, no bot. */
export type Who = string | (Partial<Actor> & { login: string });

/** The people tests use, with the permission each holds. */
export const PEOPLE: Record<string, Partial<Actor>> = {
  author: { permission: 'write' },
  alice: { permission: 'write' },
  bob: { permission: 'write' },
  carol: { permission: 'write' },
  maintainer: { permission: 'maintain' },
  admin: { permission: 'admin' },
  reader: { permission: 'read' },
  outsider: { permission: 'none' },
  'renovate[bot]': { permission: 'write', is_bot: true },
};

export function actor(who: Who, permission?: Permission | 'none'): Actor {
  const facts = typeof who === 'string' ? { login: who } : who;
  const known = PEOPLE[facts.login] ?? {};
  return {
    login: facts.login,
    permission: permission ?? facts.permission ?? known.permission ?? 'write',
    teams: facts.teams ?? known.teams ?? [],
    codeowner: facts.codeowner ?? known.codeowner ?? false,
    is_bot: facts.is_bot ?? known.is_bot ?? false,
  };
}

export interface DriveOptions {
  subject?: Partial<Subject>;
  entry?: string;
  by?: string;
}

export const USAGE: Usage = { tokens_in: 100, tokens_out: 50, cost_usd: 0.01 };

/** Loads `yaml` and starts a run on issue #7 by `author`. */
export async function drive(yaml: string, options: DriveOptions = {}): Promise<RunDriver> {
  return new RunDriver(await workflowOf(yaml), options);
}

type Unsent = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, 'id'> : never) : never;

/**
 * Plays a run event by event as the shell would: ids `e1`, `e2`... and a clock that advances one minute per
 * event. Every helper returns the step's result; accessors read the latest state and effects.
 */
export class RunDriver {
  workflow: Workflow;
  state: RunState;
  last: StepResult;
  /** Every event sent, in order, with the time it was applied at (for replays). */
  readonly log: { event: EngineEvent; now: string }[] = [];
  private count = 0;
  private minutes = 0;
  /** Steps taken so far; step n gets the nonce `n<n>`. */
  private steps = 0;
  private comments = 100;
  /** The subject's labels as the shell reads them now (`EngineContext.labels`); unset: not passed. */
  labels: string[] | undefined;

  constructor(workflow: Workflow, options: DriveOptions = {}) {
    this.workflow = workflow;
    const subject: Subject = {
      kind: 'issue',
      number: 7,
      author: 'author',
      title: 'Add dark mode',
      labels: [],
      ...options.subject,
    };
    const event: EventOf<'run.started'> = {
      id: this.nextId(),
      type: 'run.started',
      by: options.by ?? 'author',
      run_id: 'run-7',
      workflow_sha: 'def-1',
      subject,
      ...(options.entry === undefined ? {} : { entry: options.entry }),
    };
    const now = this.tick(1);
    this.last = startRun(workflow, event, { now, nonce: `n${this.steps}` });
    this.log.push({ event, now });
    this.state = this.last.state;
  }

  /** Applies an event (an id is given unless it has one) one minute after the previous one. */
  send(event: Unsent & { id?: string }, minutes = 1): StepResult {
    const full = { ...event, id: event.id ?? this.nextId() } as EngineEvent;
    const now = this.tick(minutes);
    const labels = this.labels === undefined ? {} : { labels: this.labels };
    this.last = step(this.workflow, this.state, full, { now, nonce: `n${this.steps}`, ...labels });
    this.state = this.last.state;
    this.log.push({ event: full, now });
    return this.last;
  }

  /** Sends again the event at `index` in the log (0 is run.started), with its id, one minute later. */
  replay(index: number): StepResult {
    const entry = this.log[index];
    if (entry === undefined) throw new Error(`no event ${index}`);
    return this.send(entry.event);
  }

  /** The Action's answer to the pending prompt or response dispatch, with the nonce it was given. */
  answer(
    stage: string = this.state.stage,
    opts: {
      verdict?: 'pass' | 'fail';
      choice?: string;
      sha?: string;
      nonce?: string;
      usage?: Usage;
      comment_id?: number;
      /** The model asks people this instead of answering (`ask_human`). */
      question?: string;
    } = {},
  ): StepResult {
    const wait = this.state.wait;
    const pending = wait?.for === 'action' ? wait : undefined;
    const nonce = opts.nonce ?? pending?.nonce ?? 'none';
    const attempt = this.record(stage)?.attempt ?? 0;
    const sha = opts.sha ?? `${stage}-${pending?.step ?? 'x'}-${attempt}`;
    const pointer = { comment_id: opts.comment_id ?? 900 + this.steps + 1 };
    if (pending?.step === 'prompt')
      return this.send({ type: 'prompt.rendered', stage, nonce, sha256: sha, pointer });
    return this.send({
      type: 'response.received',
      stage,
      nonce,
      sha256: sha,
      pointer,
      usage: opts.usage ?? USAGE,
      ...(opts.verdict === undefined ? {} : { verdict: opts.verdict }),
      ...(opts.choice === undefined ? {} : { choice: opts.choice }),
      ...(opts.question === undefined ? {} : { question: opts.question }),
    });
  }

  /** A new comment by `by`; each command in it is one event (`comment:<id>:<line>`). Returns the last result. */
  comment(by: Who, text: string, permission?: Permission | 'none'): StepResult {
    const id = ++this.comments;
    const who = actor(by, permission);
    const { commands } = parseCommands(text);
    if (commands.length === 0) throw new Error(`no command in ${JSON.stringify(text)}`);
    for (const command of commands) {
      this.send({
        id: `comment:${id}:${command.line}`,
        type: 'command.received',
        command,
        actor: who,
        comment_id: id,
      });
    }
    return this.last;
  }

  review(
    by: Who,
    state: 'approved' | 'changes_requested' | 'commented',
    headSha?: string,
    body = '',
  ): StepResult {
    const head = headSha ?? this.state.subject.head_sha ?? '';
    return this.send({ type: 'review.submitted', actor: actor(by), state, body, head_sha: head });
  }

  push(sha: string, by = 'alice'): StepResult {
    return this.send({ type: 'head.moved', sha, pusher: by });
  }

  edit(stage: string, which: 'prompt' | 'response', sha: string, by = 'alice'): StepResult {
    return this.send({ type: 'content.edited', stage, step: which, sha256: sha, by });
  }

  /** A person hands in the content of a manual stage: a comment `/submit <text>`. */
  submit(by: Who = 'alice', text = `content ${this.count}`): StepResult {
    return this.comment(by, `/submit ${text}`);
  }

  /** A timer fires `minutesLater` minutes after the previous event. */
  timer(minutesLater: number): StepResult {
    return this.send({ type: 'timer.fired' }, minutesLater);
  }

  /** The AI approver's decision on what it was asked to judge. */
  approverSays(
    decision: 'approved' | 'rejected' | 'ask_human',
    feedback = '',
    opts: { nonce?: string; usage?: Usage; question?: string } = {},
  ) {
    const wait = this.state.wait;
    const nonce = opts.nonce ?? (wait?.for === 'action' ? wait.nonce : 'none');
    return this.send({
      type: 'approver.decided',
      stage: this.state.stage,
      nonce,
      decision,
      feedback,
      ...(opts.question === undefined ? {} : { question: opts.question }),
      usage: opts.usage ?? { tokens_in: 10, tokens_out: 5, cost_usd: 0.001 },
    });
  }

  failStage(error: string, opts: { nonce?: string; url?: string } = {}): StepResult {
    const wait = this.state.wait;
    const nonce = opts.nonce ?? (wait?.for === 'action' ? wait.nonce : undefined);
    return this.send({
      type: 'stage.failed',
      stage: this.state.stage,
      error,
      ...(nonce === undefined ? {} : { nonce }),
      ...(opts.url === undefined ? {} : { url: opts.url }),
    });
  }

  /** The workflow file changes to `yaml`; later steps use the new definition. */
  async changeDefinition(yaml: string, sha = 'def-2', by = 'maintainer'): Promise<StepResult> {
    const workflow = await workflowOf(yaml);
    const result = this.send({ type: 'definition.changed', workflow, sha, by });
    if (result.changed) this.workflow = workflow;
    return result;
  }

  get effects(): Effect[] {
    return this.last.effects;
  }

  /** The texts of the replies of the last step. */
  get replies(): string[] {
    return this.effects.flatMap((e) => (e.type === 'reply' ? [e.text] : []));
  }

  /** The effects of the last step of one type. */
  effectsOf<T extends Effect['type']>(type: T): Extract<Effect, { type: T }>[] {
    return this.effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
  }

  get status(): RunState['status'] {
    return this.state.status;
  }

  get stage(): string {
    return this.state.stage;
  }

  get wait(): Wait | undefined {
    return this.state.wait;
  }

  record(stage: string = this.state.stage): StageRecord | undefined {
    return this.state.stages[stage];
  }

  /** The `what` of every history entry, in order. */
  get history(): string[] {
    return this.state.history.map((h) => h.what);
  }

  /** The time of the latest event. */
  get now(): string {
    return new Date(START + (this.minutes - 1) * 60_000).toISOString();
  }

  private nextId(): string {
    return `e${++this.count}`;
  }

  private tick(minutes: number): string {
    this.steps++;
    this.minutes += minutes;
    return this.now;
  }
}
