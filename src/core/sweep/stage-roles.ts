import { type Stage, stageById, type Workflow } from '../workflow.ts';

/**
 * What a sweep does with a stage:
 * - `automatic`: the sweep runs its work, and its gates pass without a person (skip, or an AI approver);
 * - `human-gate`: the sweep runs its work, then a person must approve (a `manual` or `review` approver on its
 *   prompt or its response): items wait there, since nothing automatic passes a person's gate;
 * - `human`: a person does the stage (`mode: manual`): items that reach it wait there, untouched;
 * - `terminal`: items that reach it are finished.
 */
export type StageRole = 'automatic' | 'human-gate' | 'human' | 'terminal';

export function stageRole(stage: Stage): StageRole {
  if (stage.type === 'terminal') return 'terminal';
  if (stage.mode === 'manual') return 'human';
  if (needsPerson(stage.gate.approver) || needsPerson(stage.prompt_gate.approver)) return 'human-gate';
  return 'automatic';
}

/** Whether the sweep runs this stage's work: automatic stages and stages that end at a person's gate. */
export function sweepRuns(stage: Stage): boolean {
  const role = stageRole(stage);
  return role === 'automatic' || role === 'human-gate';
}

/** The stage a sweep places new items at: the first entry stage, else the first stage. */
export function entryStage(workflow: Workflow): Stage {
  const entry = workflow.stages.find((s) => s.type === 'entry') ?? workflow.stages[0];
  if (entry === undefined) throw new Error(`workflow "${workflow.name}" has no stages`);
  return entry;
}

/**
 * Where an item goes after the stage when the result does not say: its `next`, or its only transition. Undefined
 * when the way out depends on the result (several transitions) or there is none.
 */
export function defaultExit(workflow: Workflow, stage: Stage): Stage | undefined {
  const only =
    stage.transitions === undefined
      ? stage.next
      : stage.transitions.length === 1
        ? stage.transitions[0]?.to
        : undefined;
  return only === undefined ? undefined : stageById(workflow, only);
}

/**
 * The stages the sweep will run for an item at `from`, in order, following each stage's first way out (its
 * `next`, else its first transition, which workflows write as the way forward): up to and including a stage with a person's
 * gate, and stopping before a stage a person does or a terminal stage. Used for estimates and ETAs; a stage is
 * listed once even where the workflow loops.
 */
export function projectedPath(workflow: Workflow, from: Stage): Stage[] {
  const path: Stage[] = [];
  const seen = new Set<string>();
  let stage: Stage | undefined = from;
  while (stage !== undefined && !seen.has(stage.id) && sweepRuns(stage)) {
    path.push(stage);
    seen.add(stage.id);
    if (stageRole(stage) === 'human-gate') break;
    const forward: string | undefined = stage.next ?? stage.transitions?.[0]?.to;
    stage = forward === undefined ? undefined : stageById(workflow, forward);
  }
  return path;
}

function needsPerson(approver: string): boolean {
  return approver === 'manual' || approver === 'review';
}
