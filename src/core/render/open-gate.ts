import type { Approval, RunState } from '../state/run-state.ts';
import { type ResolvedGate, type Stage, stageById, type Workflow } from '../workflow.ts';

/** A gate that waits for people right now. */
export interface OpenGate {
  stage: Stage;
  step: 'prompt' | 'response';
  gate: ResolvedGate;
  /** The approvals that count towards `gate.min_approvals`, one per person. */
  counted: Approval[];
}

/**
 * The gate the run waits on, if it waits for an approval. The approvals shown as counting follow the engine's
 * rule (`countedApprovers`): of this step and the current attempt, of the content as it is now (its sha256),
 * not by a skip gate, one per person.
 */
export function openGate(workflow: Workflow, state: RunState): OpenGate | undefined {
  const wait = state.wait;
  if (state.status !== 'awaiting_approval' || wait?.for !== 'approval') return undefined;
  const stage = stageById(workflow, state.stage);
  if (stage === undefined) return undefined;
  const record = state.stages[stage.id];
  const content = wait.step === 'prompt' ? record?.prompt?.sha256 : record?.output?.sha256;
  const counted: Approval[] = [];
  for (const a of record?.approvals ?? []) {
    if (a.step !== wait.step || a.via === 'skip' || a.attempt !== record?.attempt || a.sha256 !== content)
      continue;
    if (!counted.some((c) => c.by === a.by)) counted.push(a);
  }
  const gate = wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
  return { stage, step: wait.step, gate, counted };
}
