import { runAction } from '../action/run-action.ts';
import { sha256Hex } from '../core/action-output.ts';
import { parseCommands } from '../core/commands/parse-commands.ts';
import { formatSeconds } from '../core/simulate/apply-step.ts';
import { defaultStep } from '../core/simulate/default-step.ts';
import type { ResolvedSubject } from '../core/simulate/prompt-context.ts';
import type { SimulationResult } from '../core/simulate/run-simulation.ts';
import { defaultScript, type Script, type ScriptStep } from '../core/simulate/script.ts';
import {
  MAX_EVENTS,
  type Outcome,
  SIMULATION_START,
  type TranscriptEntry,
} from '../core/simulate/simulation.ts';
import { standing } from '../core/simulate/standing.ts';
import { decodeStateBlock } from '../core/state/decode-state.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import { createOctokit } from '../github/create-octokit.ts';
import type { Octo } from '../github/types.ts';
import { memoryFetch } from '../memory-github/memory-fetch.ts';
import type { MemoryGitHub } from '../memory-github/memory-github.ts';
import type { DispatchInputs, ReconcileDeps } from '../reconcile/reconcile-deps.ts';
import { reconcileRedone } from '../reconcile/reconcile-redone.ts';
import { SubjectComments } from '../reconcile/subject-comments.ts';
import type { SubjectEvent, Trigger } from '../reconcile/subject-event.ts';
import { changes, snapshot } from './issue-changes.ts';
import { offlineCodeStage } from './offline-code-stage.ts';
import { type Overrides, offlineModels } from './offline-models.ts';
import { SIMULATED_OWNER, SIMULATED_REPO, simulatedRepository } from './simulated-repository.ts';

/** The tokens of the simulated app and Action: the Action's posts as github-actions[bot], and is redacted. */
const APP_TOKEN = 'offline-app-token-0000';
const ACTION_TOKEN = 'offline-action-token-0000';

/** The key that signs simulated state blocks: published, so it signs nothing real. */
export const DEMO_STATE_KEY = 'flowgate-simulate-demo-key-not-a-secret';

export interface GitHubSimulationOptions {
  /** The workflow file's path and text, as they would be in `.github/flowgate/`. */
  file: { path: string; text: string };
  script?: { script: Script; steps: ScriptStep[] };
  maxEvents?: number;
  /**
   * Asked what people do next once the script has no more steps (the interactive simulation), with the transcript
   * so far. Undefined stops the simulation there. Absent: the script's `finish` decides.
   */
  decide?: (state: RunState, entries: readonly TranscriptEntry[]) => Promise<ScriptStep | undefined>;
  /**
   * How news of the subject reaches flowgate. Default: the reconcile layer is called in this process, as the Action
   * alone calls it, and stage steps run at once. With a shell, each event is delivered to it (the app, given a
   * webhook), stage steps run when its `workflow_dispatch` appears on the in-memory GitHub, and their outputs are
   * delivered to it as the comments they are.
   */
  shell?: SimulationShell;
}

/** flowgate as something outside the simulation: it is told what happened and acts on the in-memory GitHub. */
export interface SimulationShell {
  deliver: (event: SubjectEvent, on: { github: MemoryGitHub; now: () => string }) => Promise<void>;
}

/** A finished simulation, with the in-memory GitHub it ran on (what the issue and its pull requests hold). */
export interface GitHubSimulationResult extends SimulationResult {
  github: MemoryGitHub;
  subject: ResolvedSubject;
}

/**
 * Runs a workflow as it runs on GitHub, with nothing real but the code: an in-memory GitHub (src/memory-github)
 * holds the repository, the subject and the people; each scripted step (a comment, a review, a push, an edit, time
 * passing) is made on it, then the reconcile layer that the app and the Action run (src/reconcile) takes it in, and
 * each stage step it asks for runs through the Action's own step code (`runAction`) with offline models and an
 * offline agent. Every comment, label, check run, pull request, close and lock in the result was made by the same
 * code that makes it on GitHub. Deterministic: the clock starts at SIMULATION_START and moves a minute per event.
 */
export async function simulateOnGitHub(
  workflow: Workflow,
  options: GitHubSimulationOptions,
): Promise<GitHubSimulationResult> {
  const script = options.script?.script ?? defaultScript();
  const steps = [...(options.script?.steps ?? [])];
  const subject = resolveSubject(workflow, script);
  let clock = Date.parse(SIMULATION_START);
  const now = () => new Date(clock).toISOString();
  const starter = script.started_by ?? subject.author;
  const github = simulatedRepository({
    workflow,
    path: `.github/flowgate/${options.file.path.split('/').at(-1) ?? 'workflow.yml'}`,
    text: options.file.text,
    script,
    subject,
    starter,
    now,
  });
  github.tokenLogins.set(ACTION_TOKEN, 'github-actions[bot]');
  const client = (token: string) =>
    createOctokit({ token, resilient: false, fetch: memoryFetch(github) }) as unknown as Octo;
  const octokit = client(APP_TOKEN);
  const actionOctokit = client(ACTION_TOKEN);
  const overrides: Overrides = { answers: [], decisions: [] };
  const models = offlineModels(workflow, overrides);
  const runCodeStage = offlineCodeStage(github, subject.pr, overrides);
  const webhooks: { url: string }[] = [];
  const requested: DispatchInputs[] = [];
  let nonces = 0;
  const deps: ReconcileDeps = {
    octokit,
    config: {
      stateKey: DEMO_STATE_KEY,
      actionsWorkflow: 'flowgate.yml',
      startPermission: 'write',
      outputAuthors: ['github-actions[bot]', github.botLogin],
    },
    now,
    nonce: () => `sim${++nonces}`,
    blobs: new Map(),
    definitions: new Map([[github.blobSha(options.file.text), workflow]]),
    comments: new SubjectComments(),
    labels: new Map(),
    schedule: () => {},
    log: () => {},
    dispatch: async (request) => {
      requested.push(request);
    },
    webhook: async (url) => {
      webhooks.push({ url });
    },
  };
  const entries: TranscriptEntry[] = [];
  const visited: string[] = [];
  let events = 0;
  let state: RunState | undefined;
  let silent: string | undefined;
  let outcome: Outcome | undefined;
  const maxEvents = options.maxEvents ?? MAX_EVENTS;

  const subjectEvent = (trigger: Trigger): SubjectEvent => {
    const issue = github.issues.get(subject.number);
    return {
      deliveryId: `sim-${events + 1}`,
      repo: { owner: SIMULATED_OWNER, repo: SIMULATED_REPO },
      defaultBranch: github.defaultBranch,
      number: subject.number,
      isPull: subject.kind === 'pull_request',
      author: subject.author,
      title: subject.title,
      labels: [...(issue?.labels ?? [])],
      state: issue?.state === 'closed' ? 'closed' : 'open',
      trigger,
    };
  };
  const record = (
    line: string,
    before: ReturnType<typeof snapshot>,
    from: RunState | undefined,
    notes: string[],
  ) => {
    events++;
    const after = snapshot(github, subject.number, webhooks.length);
    const added = state === undefined ? [] : state.history.slice(from?.history.length ?? 0);
    for (const h of from?.id === state?.id ? added : (state?.history ?? [])) {
      const entered = /^started at (\S+)$/.exec(h.what)?.[1] ?? /^\S+ -> (\S+)$/.exec(h.what)?.[1];
      if (entered !== undefined) visited.push(entered);
    }
    entries.push({
      n: events,
      at: new Date(clock).toISOString(),
      event: line,
      changed: state?.rev !== from?.rev,
      history: added.map((h) => (h.reason === undefined ? h.what : `${h.what} — ${h.reason}`)),
      effects: changes(before, after, github, webhooks),
      notes,
    });
    clock += 60_000;
  };
  /** The run's state as its status comment holds it now. */
  const readState = (): RunState | undefined => {
    let found: RunState | undefined;
    for (const c of github.comments) {
      if (c.issue !== subject.number || !c.body.includes('<!-- flowgate:status run=')) continue;
      const decoded = decodeStateBlock(c.body, DEMO_STATE_KEY);
      if (decoded.ok && decoded.state.workflow === workflow.name) found = decoded.state;
    }
    return found;
  };
  let dispatched = 0;
  /** Tells flowgate what happened; resolves with the stage steps it asked for. */
  const deliver = async (event: SubjectEvent): Promise<DispatchInputs[]> => {
    if (options.shell === undefined) {
      await reconcileRedone(event, deps);
      return requested.splice(0);
    }
    await options.shell.deliver(event, { github, now });
    const asked = github.dispatches
      .slice(dispatched)
      .filter((d) => d.workflow === deps.config.actionsWorkflow);
    dispatched = github.dispatches.length;
    return asked.map((d) => d.inputs as unknown as DispatchInputs);
  };
  /** Something happened on GitHub: the reconcile takes it in, then every stage step it asks for runs. */
  const happen = async (trigger: Trigger, line: string, notes: string[] = []) => {
    let before = snapshot(github, subject.number, webhooks.length);
    let from = state;
    const asked = await deliver(subjectEvent(trigger));
    state = readState() ?? state;
    record(line, before, from, notes);
    while (asked.length > 0 && events < maxEvents) {
      const request = asked.splice(0).at(-1) as DispatchInputs;
      takeOverrides();
      const attempt = Number(request.attempt);
      const where = `${request.stage}, attempt ${attempt}`;
      const answer = overrides.answers.find((a) => a.stage === request.stage);
      if (request.step === 'response' && answer?.silent === true) {
        overrides.answers.splice(overrides.answers.indexOf(answer), 1);
        silent = request.nonce;
        const deadline = state?.wait?.for === 'action' ? state.wait.deadline : 'its deadline';
        entries.push(
          noteEntry(`no ${request.step} arrives for ${where} (scripted): the run waits until ${deadline}`),
        );
        return;
      }
      before = snapshot(github, subject.number, webhooks.length);
      from = state;
      const ran = await runAction({
        inputs: {
          dispatch: {
            runId: request.run_id,
            subject: Number(request.subject),
            stage: request.stage,
            attempt,
            nonce: request.nonce,
            step: request.step,
          },
          github: {
            token: ACTION_TOKEN,
            repo: { owner: SIMULATED_OWNER, repo: SIMULATED_REPO },
            apiUrl: 'https://api.github.com',
          },
          stateKey: DEMO_STATE_KEY,
        },
        octokit: actionOctokit,
        definitions: deps.definitions,
        models,
        env: {},
        runCodeStage,
        log: { info: () => {}, warning: () => {} },
      });
      const said =
        ran.outcome === 'posted'
          ? `posted the ${ran.kind}`
          : ran.outcome === 'stale'
            ? `skipped: ${ran.reason}`
            : `failed: ${ran.error}`;
      // The output comment is what tells flowgate the step is done (its webhook, for the app).
      const posted = ran.outcome === 'stale' ? undefined : ran.comments.at(-1);
      asked.push(
        ...(await deliver(
          subjectEvent(posted === undefined ? { kind: 'timer' } : { kind: 'comment', commentId: posted.id }),
        )),
      );
      state = readState() ?? state;
      record(`Action: ${request.step} of ${where}: ${said}`, before, from, []);
    }
  };
  const noteEntry = (line: string, notes: string[] = []): TranscriptEntry => ({
    at: new Date(clock).toISOString(),
    event: line,
    changed: false,
    history: [],
    effects: [],
    notes,
  });

  /** Scripted answers and decisions at the head of the script wait for the next dispatches of their stage. */
  function takeOverrides(): void {
    while (steps[0]?.kind === 'answer' || steps[0]?.kind === 'approver') {
      const step = steps.shift();
      if (step?.kind === 'answer') overrides.answers.push(step.answer);
      if (step?.kind === 'approver') overrides.decisions.push(step.approver);
    }
  }
  takeOverrides();

  // 1. The run starts as a person starts it: the trigger label, or `/flowgate start`.
  const label = subject.labels.find((l) => workflow.on.labels.includes(l));
  github.issues.get(subject.number)?.labels.push(...subject.labels.filter((l) => l !== label));
  if (workflow.on.schedule !== undefined && label === undefined) {
    await happen(
      { kind: 'start', workflow: workflow.name, by: 'schedule' },
      `the scheduled sweep starts a run on #${subject.number}`,
    );
  } else if (label !== undefined) {
    github.issues.get(subject.number)?.labels.push(label);
    await happen(
      { kind: 'labeled', label, by: starter, byBot: false },
      `@${starter} adds the label "${label}"`,
    );
  } else {
    const comment = github.addComment(subject.number, starter, `/flowgate start ${workflow.on.command}`);
    await happen(
      { kind: 'comment', commentId: comment.id },
      `comment by @${starter}: /flowgate start ${workflow.on.command}`,
    );
  }

  // 2. People, time and scripted answers move it on, until it ends or the script has nothing more.
  for (;;) {
    takeOverrides();
    if (state === undefined) {
      outcome = {
        kind: 'stopped',
        status: 'not started',
        reason: `the run did not start: ${lastReply(entries)}`,
      };
      break;
    }
    if (state.status === 'completed' || state.status === 'cancelled') {
      // An archive after days is a timer like any other: the days pass, and the reconcile closes the subject.
      const archive = workflow.stages.find((st) => st.id === state?.stage)?.archive;
      if (state.status === 'completed' && archive !== undefined && archive.after_days > 0) {
        clock += archive.after_days * 24 * 60 * 60 * 1000;
        await happen({ kind: 'timer' }, `timer fired: ${archive.after_days} days after the run completed`);
      }
      outcome = {
        kind: state.status,
        status: state.status,
        reason: `${state.status} at stage "${state.stage}"`,
      };
      break;
    }
    if (events >= maxEvents) {
      outcome = {
        kind: 'stuck',
        status: state.status,
        reason: `stuck: no final status after ${events} events, ${standing(state)}`,
      };
      break;
    }
    const wait = state.wait;
    const active = state.status === 'running' || state.status === 'awaiting_approval';
    if (active && wait?.for === 'delay') {
      clock = Math.max(clock, Date.parse(wait.until));
      await happen({ kind: 'timer' }, `timer fired: the delay before ${wait.to} is over`);
      continue;
    }
    if (active && wait?.for === 'action' && wait.nonce !== silent) {
      outcome = {
        kind: 'stuck',
        status: state.status,
        reason: `stuck: a ${wait.step} of ${state.stage} was asked for and never ran`,
      };
      break;
    }
    const scripted = steps.shift();
    const decided =
      scripted ?? (options.decide === undefined ? undefined : await options.decide(state, entries));
    const step =
      decided ??
      (options.decide === undefined && script.finish === 'default'
        ? defaultStep(workflow, state)
        : undefined);
    if (step === undefined) {
      const why =
        options.decide !== undefined
          ? 'stopped at the prompt'
          : script.finish === 'default'
            ? 'the default script stops here'
            : 'the script has no more steps';
      outcome = waiting(state, why);
      break;
    }
    const progress = progressKey(state);
    await perform(step);
    if (scripted === undefined && options.decide === undefined && progressKey(state) === progress) {
      outcome = {
        kind: 'waiting',
        status: state.status,
        reason: `${standing(state)}; the default script cannot go on: ${lastReply(entries)}`,
      };
      break;
    }
  }

  async function perform(step: ScriptStep): Promise<void> {
    const issue = subject.number;
    switch (step.kind) {
      case 'answer':
      case 'approver':
        return;
      case 'comment':
      case 'content': {
        const { by, body } = step.kind === 'comment' ? step.comment : step.content;
        const comment = github.addComment(issue, by, body, by.endsWith('[bot]') ? 'Bot' : 'User');
        const { commands, problems } = parseCommands(body);
        const notes = problems.map((p) => `not a command (line ${p.line}): ${p.message}`);
        const said =
          step.kind === 'content'
            ? `content by @${by} (${body.length} characters)`
            : commands.length === 0
              ? `comment by @${by} with no command: ${firstLine(body)}`
              : `comment by @${by}: ${commands.map((c) => c.raw.trim()).join('; ')}`;
        await happen({ kind: 'comment', commentId: comment.id }, said, notes);
        return;
      }
      case 'review': {
        const pull = pullOf(state, subject);
        if (pull === undefined) {
          entries.push(noteEntry(`review by @${step.review.by}: there is no pull request to review yet`));
          return;
        }
        const head =
          github.branchHead(github.pulls.get(pull)?.headRef ?? '') ?? github.pulls.get(pull)?.head ?? '';
        github.addReview(pull, step.review.by, step.review.state.toUpperCase(), step.review.body, head);
        const body = step.review.body.trim() === '' ? '' : `: ${firstLine(step.review.body)}`;
        await happen(
          { kind: 'review' },
          `review by @${step.review.by}: ${step.review.state.replace('_', ' ')} at ${head.slice(0, 7)}${body}`,
        );
        return;
      }
      case 'push': {
        const pull = pullOf(state, subject);
        const stored = pull === undefined ? undefined : github.pulls.get(pull);
        if (pull === undefined || stored === undefined) {
          entries.push(noteEntry(`push by @${step.push.by}: there is no pull request to push to yet`));
          return;
        }
        const head = pushSha(`${pull}:${events}:${step.push.by}`);
        stored.head = head;
        if (stored.headRef !== undefined) github.branches.set(stored.headRef, { head, files: new Map() });
        await happen(
          { kind: 'pushed', headSha: head, by: step.push.by },
          `push by @${step.push.by} to #${pull}: head ${head.slice(0, 7)}`,
        );
        return;
      }
      case 'wait':
        clock += step.wait * 1000;
        await happen({ kind: 'timer' }, `timer fired after waiting ${formatSeconds(step.wait)}`);
        return;
      case 'edit': {
        const { stage, step: which, by } = step.edit;
        const pointer =
          which === 'prompt' ? state?.stages[stage]?.prompt?.pointer : state?.stages[stage]?.output?.pointer;
        const comment = github.comments.find((c) => c.id === pointer?.comment_id);
        if (comment === undefined) {
          entries.push(noteEntry(`edit of the ${which} of ${stage} by @${by}: it has no comment to edit`));
          return;
        }
        comment.body = comment.body.replace(/(\n*<!--)/, `\n\n_Edited by @${by}._$1`);
        comment.updated_at = now();
        await happen(
          { kind: 'comment', commentId: comment.id },
          `edit of the ${which} of ${stage} by @${by}`,
        );
        return;
      }
    }
  }

  const warnings = [
    ...overrides.answers.map(
      (a) => `the scripted answer for stage "${a.stage}" was never used: the stage was not dispatched again`,
    ),
    ...overrides.decisions.map(
      (d) => `the scripted AI approver decision for stage "${d.stage}" was never used`,
    ),
  ];
  const status = github.comments.find(
    (c) => c.issue === subject.number && c.body.includes('<!-- flowgate:status run='),
  );
  return {
    outcome: outcome ?? {
      kind: 'stopped',
      status: state?.status ?? 'not started',
      reason: 'the simulation was stopped',
    },
    ...(state === undefined ? {} : { state }),
    visited,
    events,
    entries,
    warnings,
    statusComment: status?.body ?? '',
    github,
    subject,
  };
}

function waiting(state: RunState, why: string): Outcome {
  if (state.status === 'failed' || state.status === 'paused') {
    return { kind: state.status, status: state.status, reason: `${standing(state)}; ${why}` };
  }
  return { kind: 'waiting', status: state.status, reason: `${standing(state)}; ${why}` };
}

/** The pull request reviews and pushes go to: the subject, or the one the run's code stage opened. */
function pullOf(state: RunState | undefined, subject: ResolvedSubject): number | undefined {
  if (subject.kind === 'pull_request') return subject.number;
  let latest: number | undefined;
  for (const record of Object.values(state?.stages ?? {}))
    latest = record.output?.pointer.pull_number ?? latest;
  return latest;
}

function resolveSubject(workflow: Workflow, script: Script): ResolvedSubject {
  const { kind, labels, ...rest } = script.subject;
  return {
    ...rest,
    kind: kind ?? (workflow.on.subject === 'pull_request' ? 'pull_request' : 'issue'),
    labels: labels ?? workflow.on.labels.slice(0, 1),
  };
}

/** The run's state without the bookkeeping every event changes (seen ids, rev, time): what shows progress. */
function progressKey(state: RunState | undefined): string {
  if (state === undefined) return '';
  const { seen: _seen, rev: _rev, updated_at: _at, cursor: _cursor, ...rest } = state;
  return JSON.stringify(rest);
}

function lastReply(entries: readonly TranscriptEntry[]): string {
  for (const entry of [...entries].reverse()) {
    const reply = entry.effects.find((e) => e.label === 'reply');
    if (reply !== undefined) return reply.text;
  }
  return 'nothing was said';
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** A deterministic commit sha for a simulated push. */
function pushSha(seed: string): string {
  return sha256Hex(`push\0${seed}`).slice(0, 40);
}
