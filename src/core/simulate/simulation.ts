import type { EngineEvent } from '../engine/events.ts';
import { startRun, step } from '../engine/step.ts';
import type { RunState, RunStatus } from '../state/run-state.ts';
import { rewriteVerdict } from '../verdict.ts';
import type { Workflow } from '../workflow.ts';
import { describeEffects, type EffectView } from './describe-effect.ts';
import type { AnswerOverride, ApproverOverride } from './offline-provider.ts';
import type { ResolvedSubject, SimulatedRun } from './prompt-context.ts';
import type { Script, ScriptStep } from './script.ts';

/** The simulated clock starts here, and moves one minute per event (and as long as a `wait` step says). */
export const SIMULATION_START = '2025-06-02T09:00:00.000Z';

/** More events than this without a final status is a stuck run. */
export const MAX_EVENTS = 500;

/** One line of the transcript: an event and what it did, or a note about the script. */
export interface TranscriptEntry {
  /** The event's number from 1, absent for a note that is not an engine event. */
  n?: number;
  at: string;
  /** The event in one line. */
  event: string;
  /** False when the engine changed nothing (a refused command, a stale result). */
  changed: boolean;
  /** History entries the event added: `plan -> implement (next)`. */
  history: string[];
  effects: EffectView[];
  /** Problems in a comment's commands, scripted overrides and the like. */
  notes: string[];
}

export type OutcomeKind = 'completed' | 'cancelled' | 'failed' | 'paused' | 'waiting' | 'stuck' | 'stopped';

/** How a simulation ended, and why, in words. */
export interface Outcome {
  kind: OutcomeKind;
  status: RunStatus | 'not started';
  reason: string;
}

/** A simulation in progress: the run's state and what the simulated GitHub holds besides it. */
export interface Simulation {
  readonly workflow: Workflow;
  readonly script: Script;
  readonly subject: ResolvedSubject;
  /** The scripted steps not applied yet. */
  steps: ScriptStep[];
  state?: RunState;
  /** The time of the next event, in milliseconds. */
  clock: number;
  events: number;
  maxEvents: number;
  entries: TranscriptEntry[];
  texts: Record<string, string>;
  prompts: Record<string, string>;
  answers: AnswerOverride[];
  decisions: ApproverOverride[];
  /** How many comments, reviews, pushes... were made, for their ids. */
  counters: Record<'comment' | 'review' | 'push' | 'content' | 'edit' | 'timer', number>;
  /** The labels and check status last shown, so the transcript shows only changes. */
  shown: { labels: Set<string>; check?: string };
  visited: string[];
  /** The nonce of a dispatch the script said no answer arrives for. */
  silent?: string;
  outcome?: Outcome;
}

/** The run as the offline provider sees it. */
export function simulatedRun(sim: Simulation): SimulatedRun {
  if (sim.state === undefined) throw new Error('the run has not started');
  return {
    workflow: sim.workflow,
    state: sim.state,
    subject: sim.subject,
    texts: sim.texts,
    prompts: sim.prompts,
  };
}

/**
 * Applies one event through the real engine (startRun for the first one), at the simulated time, and writes the
 * transcript entry. Returns whether the run changed.
 */
export function fire(sim: Simulation, event: EngineEvent, line: string, notes: string[] = []): boolean {
  const now = new Date(sim.clock).toISOString();
  const ctx = { now, nonce: `sim${sim.events + 1}` };
  const before = sim.state;
  const result =
    before === undefined
      ? event.type === 'run.started'
        ? startRun(sim.workflow, event, ctx)
        : undefined
      : step(sim.workflow, before, event, ctx);
  if (result === undefined) throw new Error(`a run starts with run.started, not ${event.type}`);
  sim.events++;
  sim.clock += 60_000;
  const added = result.changed ? result.state.history.slice(before?.history.length ?? 0) : [];
  for (const h of added) {
    const entered = /^started at (\S+)$/.exec(h.what)?.[1] ?? /^\S+ -> (\S+)$/.exec(h.what)?.[1];
    if (entered !== undefined) sim.visited.push(entered);
  }
  for (const effect of result.effects) {
    if (effect.type !== 'output.rewrite_verdict') continue;
    const text = sim.texts[effect.stage];
    if (text !== undefined) sim.texts[effect.stage] = rewriteVerdict(text, effect.verdict);
  }
  sim.state = result.state;
  sim.entries.push({
    n: sim.events,
    at: now,
    event: line,
    changed: result.changed,
    history: added.map((h) => (h.reason === undefined ? h.what : `${h.what} — ${h.reason}`)),
    effects: describeEffects(result.effects, sim.shown),
    notes,
  });
  return result.changed;
}

/** A transcript line that is not an engine event: a comment without commands, a dispatch nobody answers. */
export function note(sim: Simulation, line: string, notes: string[] = []): void {
  sim.entries.push({
    at: new Date(sim.clock).toISOString(),
    event: line,
    changed: false,
    history: [],
    effects: [],
    notes,
  });
}
