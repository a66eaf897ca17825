import { defaultStep } from '../core/simulate/default-step.ts';
import type { ResolvedSubject } from '../core/simulate/resolved-subject.ts';
import { defaultScript, type Script } from '../core/simulate/script.ts';
import type { Outcome, TranscriptEntry } from '../core/simulate/simulation.ts';
import { standing } from '../core/simulate/standing.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { Workflow } from '../core/workflow.ts';
import { performStep } from './perform-step.ts';
import type { GitHubSimulationOptions, GitHubSimulationResult } from './simulation-options.ts';
import { SimulationSession } from './simulation-session.ts';

export {
  DEMO_STATE_KEY,
  type GitHubSimulationOptions,
  type GitHubSimulationResult,
  type SimulationShell,
} from './simulation-options.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

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
  const session = new SimulationSession(workflow, script, resolveSubject(workflow, script), options);
  session.takeOverrides();
  await start(session);
  const outcome = await moveOn(session);
  const { overrides, github, subject, state } = session;
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
    outcome,
    ...(state === undefined ? {} : { state }),
    visited: session.visited,
    events: session.events,
    entries: session.entries,
    warnings,
    statusComment: status?.body ?? '',
    github,
    subject,
  };
}

/** The run starts as it starts on GitHub: its trigger label is added, a sweep starts it, or `/flowgate start`. */
async function start(session: SimulationSession): Promise<void> {
  const { workflow, subject, github, starter } = session;
  const issue = github.issues.get(subject.number);
  const label = subject.labels.find((l) => workflow.on.labels.includes(l));
  issue?.labels.push(...subject.labels.filter((l) => l !== label));
  if (workflow.on.schedule !== undefined && label === undefined) {
    await session.sweep(
      { kind: 'start', workflow: workflow.name, by: 'schedule' },
      `the scheduled sweep starts a run on #${subject.number}`,
    );
  } else if (label !== undefined) {
    issue?.labels.push(label);
    await session.happen(
      { kind: 'labeled', label, by: starter, byBot: false },
      `@${starter} adds the label "${label}"`,
    );
  } else {
    const command = `/flowgate start ${workflow.on.command}`;
    const comment = github.addComment(subject.number, starter, command);
    await session.happen({ kind: 'comment', commentId: comment.id }, `comment by @${starter}: ${command}`);
  }
}

/** People, time and scripted answers move the run on, until it ends or nobody has anything more to do. */
async function moveOn(session: SimulationSession): Promise<Outcome> {
  const { workflow, script, options } = session;
  for (;;) {
    session.takeOverrides();
    const state = session.state;
    if (state === undefined) {
      return {
        kind: 'stopped',
        status: 'not started',
        reason: `the run did not start: ${lastReply(session.entries)}`,
      };
    }
    if (state.status === 'completed' || state.status === 'cancelled') {
      // An archive after days is a timer like any other: the days pass, and the reconcile closes the subject.
      const archive = workflow.stages.find((s) => s.id === state.stage)?.archive;
      if (state.status === 'completed' && archive !== undefined && archive.after_days > 0) {
        session.clock += archive.after_days * DAY_MS;
        await session.happen(
          { kind: 'timer' },
          `timer fired: ${archive.after_days} days after the run completed`,
        );
      }
      return {
        kind: state.status,
        status: state.status,
        reason: `${state.status} at stage "${state.stage}"`,
      };
    }
    if (session.events >= session.maxEvents) {
      const reason = `stuck: no final status after ${session.events} events, ${standing(state)}`;
      return { kind: 'stuck', status: state.status, reason };
    }
    const wait = state.wait;
    const active = state.status === 'running' || state.status === 'awaiting_approval';
    if (active && wait?.for === 'delay') {
      session.clock = Math.max(session.clock, Date.parse(wait.until));
      await session.happen({ kind: 'timer' }, `timer fired: the delay before ${wait.to} is over`);
      continue;
    }
    if (active && wait?.for === 'action' && wait.nonce !== session.silent) {
      const reason = `stuck: a ${wait.step} of ${state.stage} was asked for and never ran`;
      return { kind: 'stuck', status: state.status, reason };
    }
    const scripted = session.steps.shift();
    const decided = scripted ?? (await options.decide?.(state, session.entries));
    const byDefault = options.decide === undefined && script.finish === 'default';
    const step = decided ?? (byDefault ? defaultStep(workflow, state) : undefined);
    if (step === undefined) {
      const why =
        options.decide !== undefined
          ? 'stopped at the prompt'
          : script.finish === 'default'
            ? 'the default script stops here'
            : 'the script has no more steps';
      return waiting(state, why);
    }
    const progress = progressKey(state);
    await performStep(session, step);
    if (scripted === undefined && byDefault && progressKey(session.state) === progress) {
      const reason = `${standing(state)}; the default script cannot go on: ${lastReply(session.entries)}`;
      return { kind: 'waiting', status: state.status, reason };
    }
  }
}

function waiting(state: RunState, why: string): Outcome {
  if (state.status === 'failed' || state.status === 'paused') {
    return { kind: state.status, status: state.status, reason: `${standing(state)}; ${why}` };
  }
  return { kind: 'waiting', status: state.status, reason: `${standing(state)}; ${why}` };
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
