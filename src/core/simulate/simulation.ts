import type { RunState, RunStatus } from '../state/run-state.ts';

/** The simulated clock starts here, and moves one minute per event (and as long as a `wait` step says). */
export const SIMULATION_START = '2025-06-02T09:00:00.000Z';

/** More events than this without a final status is a stuck run. */
export const MAX_EVENTS = 500;

/** One change an event made on GitHub, as the transcript shows it: a short label and the rest of the line. */
export interface EffectView {
  label: string;
  text: string;
}

/** One line of the transcript: an event and what it did, or a note about the script. */
export interface TranscriptEntry {
  /** The event's number from 1, absent for a note that is not an event. */
  n?: number;
  at: string;
  /** The event in one line. */
  event: string;
  /** False when the run did not change (a refused command, a stale result). */
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

/** What a finished simulation shows: how it ended, every event, and the status comment GitHub holds. */
export interface SimulationResult {
  outcome: Outcome;
  state?: RunState;
  /** The stages entered, in order, the entry stage first. */
  visited: string[];
  events: number;
  entries: TranscriptEntry[];
  /** Scripted answers and decisions that no step used. */
  warnings: string[];
  /** The status comment the run left, with its state block signed with the demo key. */
  statusComment: string;
}
