import { countedApprovals } from '../state/counted-approvals.ts';
import type { Approval, RunState } from '../state/run-state.ts';
import { type ResolvedGate, type Stage, stageById, type Workflow } from '../workflow.ts';

/** A gate that waits for people right now. */
export interface OpenGate {
  stage: Stage;
  step: 'prompt' | 'response';
  gate: ResolvedGate;
  /** The approvals that count towards `gate.min_approvals`, one per person. */
  counted: Approval[];
  /** A model asked people this question (`ask_human`): who asked, and what. */
  question?: { from: 'model' | 'approver'; text: string };
}

/**
 * The gate the run waits on, if it waits for an approval, with the approvals that count (`countedApprovals`).
 */
export function openGate(workflow: Workflow, state: RunState): OpenGate | undefined {
  const wait = state.wait;
  if (state.status !== 'awaiting_approval') return undefined;
  if (wait?.for !== 'approval' && wait?.for !== 'answer') return undefined;
  const stage = stageById(workflow, state.stage);
  if (stage === undefined) return undefined;
  const counted = countedApprovals(state.stages[stage.id], wait.step);
  const gate = wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
  const question = wait.for === 'answer' ? { question: { from: wait.from, text: wait.question } } : {};
  return { stage, step: wait.step, gate, counted, ...question };
}
