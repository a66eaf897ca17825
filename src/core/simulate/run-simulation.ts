import type { RunState } from '../state/run-state.ts';
import type { Workflow } from '../workflow.ts';
import { answerDispatch } from './answer-dispatch.ts';
import { applyStep } from './apply-step.ts';
import { defaultStep } from './default-step.ts';
import { sha256 } from './offline-provider.ts';
import type { ResolvedSubject } from './prompt-context.ts';
import { defaultScript, type Script, type ScriptStep } from './script.ts';
import { simulatedStatusComment } from './simulated-status-comment.ts';
import {
  fire,
  MAX_EVENTS,
  type Outcome,
  SIMULATION_START,
  type Simulation,
  type TranscriptEntry,
} from './simulation.ts';
import { standing } from './standing.ts';

export interface SimulationOptions {
  /** The script and its steps; without it, the default script. */
  script?: { script: Script; steps: ScriptStep[] };
  maxEvents?: number;
}

/** What a finished simulation shows: how it ended, every event, and the status comment GitHub would hold. */
export interface SimulationResult {
  outcome: Outcome;
  state?: RunState;
  /** The stages entered, in order, the entry stage first. */
  visited: string[];
  events: number;
  entries: TranscriptEntry[];
  /** Scripted answers and decisions that no dispatch used. */
  warnings: string[];
  /** The rendered status comment, with its state block signed with DEMO_STATE_KEY. */
  statusComment: string;
}

/**
 * Runs `workflow` offline through the real engine: starts the run, answers every dispatch with the offline
 * provider, and applies the script's next step whenever the run waits for people. Stops at completed or
 * cancelled, when the run waits for people and the script has nothing more, or after `maxEvents` events (a stuck
 * run). Deterministic: the clock starts at SIMULATION_START and moves one minute per event.
 */
export function runSimulation(workflow: Workflow, options: SimulationOptions = {}): SimulationResult {
  const sim = createSimulation(workflow, options);
  while (advance(sim) === 'people') {
    const next = nextStep(sim);
    if (next === undefined) break;
    const before = progressKey(sim.state);
    applyStep(sim, next.step);
    if (next.fromDefault && progressKey(sim.state) === before) {
      const said = sim.entries.at(-1)?.effects.find((e) => e.label === 'reply')?.text;
      stop(
        sim,
        'waiting',
        `${standing(sim.state)}; the default script cannot go on: ${said ?? 'its step changed nothing'}`,
      );
    }
  }
  return finishSimulation(sim);
}

/** A simulation ready to start; `advance` starts the run. */
export function createSimulation(workflow: Workflow, options: SimulationOptions = {}): Simulation {
  const script = options.script?.script ?? defaultScript();
  return {
    workflow,
    script,
    subject: resolveSubject(workflow, script),
    steps: [...(options.script?.steps ?? [])],
    clock: Date.parse(SIMULATION_START),
    events: 0,
    maxEvents: options.maxEvents ?? MAX_EVENTS,
    entries: [],
    texts: {},
    prompts: {},
    answers: [],
    decisions: [],
    counters: { comment: 0, review: 0, push: 0, content: 0, edit: 0, timer: 0 },
    shown: { labels: new Set() },
    visited: [],
  };
}

/**
 * Moves the run on by itself as far as it goes: starts it, answers dispatches, lets delays pass. Returns `people`
 * when it waits for a person (or for a scripted step), `stopped` when the simulation is over.
 */
export function advance(sim: Simulation): 'people' | 'stopped' {
  for (;;) {
    if (sim.outcome !== undefined) return 'stopped';
    takeOverrides(sim);
    const state = sim.state;
    if (state === undefined) {
      start(sim);
      continue;
    }
    if (state.status === 'completed') return stop(sim, 'completed', `completed at stage "${state.stage}"`);
    if (state.status === 'cancelled') return stop(sim, 'cancelled', `cancelled at stage "${state.stage}"`);
    if (sim.events >= sim.maxEvents) {
      return stop(sim, 'stuck', `stuck: no final status after ${sim.events} events, ${standing(state)}`);
    }
    const wait = state.wait;
    const active = state.status === 'running' || state.status === 'awaiting_approval';
    if (active && wait?.for === 'action' && wait.nonce !== sim.silent) {
      answerDispatch(sim);
      continue;
    }
    if (active && wait?.for === 'delay') {
      sim.clock = Math.max(sim.clock, Date.parse(wait.until));
      fire(
        sim,
        { id: `timer:delay:${sim.events + 1}`, type: 'timer.fired' },
        `timer fired: the delay before ${wait.to} is over`,
      );
      continue;
    }
    return 'people';
  }
}

/** Ends the simulation where the run stands (no more steps, or the person at the keyboard quit), saying why. */
export function stopWaiting(sim: Simulation, why: string): void {
  const state = sim.state;
  if (state === undefined || sim.outcome !== undefined) return;
  const kind = state.status === 'failed' ? 'failed' : state.status === 'paused' ? 'paused' : 'waiting';
  stop(sim, kind, `${standing(state)}; ${why}`);
}

/** The result: outcome, transcript, warnings and the rendered status comment. */
export function finishSimulation(sim: Simulation): SimulationResult {
  if (sim.outcome === undefined) stopWaiting(sim, 'the simulation was stopped');
  const warnings = [
    ...sim.answers.map(
      (a) => `the scripted answer for stage "${a.stage}" was never used: the stage was not dispatched again`,
    ),
    ...sim.decisions.map((d) => `the scripted AI approver decision for stage "${d.stage}" was never used`),
  ];
  const state = sim.state;
  return {
    outcome: sim.outcome ?? { kind: 'stopped', status: 'not started', reason: 'the run did not start' },
    ...(state === undefined ? {} : { state }),
    visited: sim.visited,
    events: sim.events,
    entries: sim.entries,
    warnings,
    statusComment: state === undefined ? '' : simulatedStatusComment(sim.workflow, state),
  };
}

function start(sim: Simulation): void {
  const { workflow, script, subject } = sim;
  const by = script.started_by ?? subject.author;
  const head =
    subject.kind === 'pull_request' ? { head_sha: sha256(`head:${subject.number}`).slice(0, 40) } : {};
  fire(
    sim,
    {
      id: 'run:1',
      type: 'run.started',
      by,
      run_id: `sim-${workflow.name}-${subject.number}`,
      workflow_sha: sha256(JSON.stringify(workflow)).slice(0, 40),
      subject: {
        kind: subject.kind,
        number: subject.number,
        author: subject.author,
        title: subject.title,
        labels: subject.labels,
        ...head,
      },
    },
    `run.started by @${by}: ${workflow.name} on ${subject.kind === 'pull_request' ? 'pull request' : 'issue'} #${subject.number} "${subject.title}"`,
  );
}

/** The script's next step, or the default script's when the script is done and says `finish: default`. */
function nextStep(sim: Simulation): { step: ScriptStep; fromDefault: boolean } | undefined {
  const step = sim.steps.shift();
  if (step !== undefined) return { step, fromDefault: false };
  const state = sim.state;
  const fallback =
    sim.script.finish === 'default' && state !== undefined ? defaultStep(sim.workflow, state) : undefined;
  if (fallback !== undefined) return { step: fallback, fromDefault: true };
  stopWaiting(
    sim,
    sim.script.finish === 'default' ? 'the default script stops here' : 'the script has no more steps',
  );
  return undefined;
}

/** Scripted answers and decisions at the head of the script take effect at once: they wait for their dispatch. */
function takeOverrides(sim: Simulation): void {
  while (sim.steps[0]?.kind === 'answer' || sim.steps[0]?.kind === 'approver') {
    const step = sim.steps.shift();
    if (step !== undefined) applyStep(sim, step);
  }
}

/** The run's state without the bookkeeping every event changes (seen ids, rev, time): what shows progress. */
function progressKey(state: RunState | undefined): string {
  if (state === undefined) return '';
  const { seen: _seen, rev: _rev, updated_at: _at, ...rest } = state;
  return JSON.stringify(rest);
}

function stop(sim: Simulation, kind: Outcome['kind'], reason: string): 'stopped' {
  sim.outcome = { kind, status: sim.state?.status ?? 'not started', reason };
  return 'stopped';
}

function resolveSubject(workflow: Workflow, script: Script): ResolvedSubject {
  const { kind, labels, ...rest } = script.subject;
  return {
    ...rest,
    kind: kind ?? (workflow.on.subject === 'pull_request' ? 'pull_request' : 'issue'),
    labels: labels ?? workflow.on.labels.slice(0, 1),
  };
}
