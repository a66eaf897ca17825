import type { Gate } from '../schema/gate.ts';
import type { ParsedStage } from '../schema/stage.ts';
import type { ParsedWorkflow } from '../schema/workflow.ts';
import type { ResolvedGate, Stage, StageMode, StageType, Workflow } from '../workflow.ts';

const SKIP: Gate = { approver: 'skip', min_approvals: 1, allow_author: false };

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
    return {
      ...raw,
      name: raw.name ?? raw.id,
      type,
      mode: stageMode(raw, type),
      index,
      provider: raw.provider ?? (needsProvider(raw, type) ? defaults.provider : undefined),
      next: implicitNext ? following : raw.next,
      // A run ends at a terminal stage: nothing follows it, so there is nothing to gate.
      gate: resolveGate(raw.gate, type === 'terminal' ? SKIP : defaults.gate),
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
