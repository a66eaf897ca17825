import type { Approvers, Gate } from './schema/gate.ts';
import type { ParsedStage } from './schema/stage.ts';
import type { ParsedWorkflow } from './schema/workflow.ts';

export type StageType = 'entry' | 'work' | 'terminal';
export type StageMode = 'ai' | 'command' | 'manual' | 'system';

/** A gate with the workflow's defaults filled in. */
export interface ResolvedGate extends Gate {
  approvers: Approvers;
  max_retries: number;
}

/** A stage with every default resolved: what the engine and the shells work with. */
export interface Stage
  extends Omit<ParsedStage, 'type' | 'mode' | 'gate' | 'prompt_gate' | 'labels' | 'name'> {
  name: string;
  type: StageType;
  mode: StageMode;
  /** Position in the file, from 0. */
  index: number;
  gate: ResolvedGate;
  prompt_gate: ResolvedGate;
  labels: string[];
}

/** A loaded, valid workflow. */
export interface Workflow extends Omit<ParsedWorkflow, 'stages'> {
  stages: Stage[];
}

/** The stages a stage can move to: its transitions' targets, else its `next`. */
export function exitsOf(stage: Stage): string[] {
  if (stage.transitions !== undefined) return stage.transitions.map((t) => t.to);
  return stage.next === undefined ? [] : [stage.next];
}

export function stageById(workflow: Workflow, id: string): Stage | undefined {
  return workflow.stages.find((s) => s.id === id);
}
