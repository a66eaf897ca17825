import type { Gate } from '../schema/gate.ts';
import type { ParsedStage } from '../schema/stage.ts';
import type { ParsedWorkflow } from '../schema/workflow.ts';
import type { ResolvedGate, Stage, StageMode, StageType, Workflow } from '../workflow.ts';

const SKIP: Gate = { approver: 'skip', min_approvals: 1, allow_author: false };
const MANUAL: Gate = { approver: 'manual', min_approvals: 1, allow_author: false };

/**
 * The gate of a stage that declares none: nothing follows a terminal stage; otherwise `defaults.gate` when the file
 * writes one. Without it, a model's or agent's work (`ai` and `command` stages) waits for a person's approval in an
 * interactive workflow (auto-approve is off unless the file says `gate: skip`), and every other stage passes.
 */
export function defaultGate(
  written: Gate | undefined,
  workflowMode: 'interactive' | 'automated',
  stage: { type: StageType; mode: StageMode },
): Gate {
  if (stage.type === 'terminal') return SKIP;
  if (written !== undefined) return written;
  const modelWork = stage.mode === 'ai' || stage.mode === 'command';
  return modelWork && workflowMode === 'interactive' ? MANUAL : SKIP;
}

/**
 * Fills in the defaults that depend on other fields: stage types and modes, gates from `defaults`, labels from
 * the prefix, and `next` from file order.
 */
export function normalizeWorkflow(parsed: ParsedWorkflow): Workflow {
  const { stages: rawStages, defaults } = parsed;
  const anyEntry = rawStages.some((s) => s.type === 'entry');
  const anyTerminal = rawStages.some((s) => s.type === 'terminal');
  const resolveGate = (gate: Gate | undefined, fallback: Gate): ResolvedGate => {
    const g = gate ?? fallback;
    return {
      ...g,
      approvers: g.approvers ?? defaults.approvers,
      max_retries: g.max_retries ?? defaults.max_retries,
    };
  };
  const stages = rawStages.map((raw, index): Stage => {
    const type = stageType(raw, index, rawStages.length, anyEntry, anyTerminal);
    const following = rawStages[index + 1]?.id;
    const implicitNext = type !== 'terminal' && raw.transitions === undefined && raw.next === undefined;
    const mode = stageMode(raw, type);
    return {
      ...raw,
      name: raw.name ?? raw.id,
      type,
      mode,
      index,
      provider: raw.provider ?? (needsProvider(raw, type) ? defaults.provider : undefined),
      next: implicitNext ? following : raw.next,
      gate: resolveGate(raw.gate, defaultGate(defaults.gate, parsed.mode, { type, mode })),
      prompt_gate: resolveGate(raw.prompt_gate, SKIP),
      labels: raw.labels ?? [`${parsed.labels.prefix}${raw.id}`],
    };
  });
  const command = parsed.on.command ?? parsed.name.toLowerCase();
  return { ...parsed, on: { ...parsed.on, command }, stages };
}

function stageType(
  raw: ParsedStage,
  index: number,
  count: number,
  anyEntry: boolean,
  anyTerminal: boolean,
): StageType {
  if (raw.type !== undefined) return raw.type;
  if (!anyEntry && index === 0) return 'entry';
  const noWayOut = raw.next === undefined && raw.transitions === undefined;
  if (!anyTerminal && index === count - 1 && noWayOut && count > 1) return 'terminal';
  return 'work';
}

function stageMode(raw: ParsedStage, type: StageType): StageMode {
  if (raw.mode !== undefined) return raw.mode;
  if (type === 'terminal' || raw.run !== undefined) return 'system';
  return 'ai';
}

function needsProvider(raw: ParsedStage, type: StageType): boolean {
  const mode = stageMode(raw, type);
  return mode === 'ai' || mode === 'command';
}
