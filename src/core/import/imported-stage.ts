import { isDeepStrictEqual } from 'node:util';
import type { Document, YAMLMap } from 'yaml';
import { defaultGate } from '../load/normalize.ts';
import type { Gate } from '../schema/gate.ts';
import type { Stage, Workflow } from '../workflow.ts';
import { renameOutputs } from './rename-outputs.ts';
import { addKey, type Spliceable, setScalar, sourceItem } from './spliceable.ts';
import { stageReferences } from './stage-references.ts';

type WorkflowMode = Workflow['mode'];

/**
 * The source's `defaults.gate` as written (undefined when absent) and as parsed, and the target's, parsed, with each
 * workflow's `mode`: a stage that declares no gate takes the default of the workflow it is in (see `defaultGate`).
 */
export interface DefaultGates {
  sourceRaw: unknown;
  source: Gate | undefined;
  target: Gate | undefined;
  sourceMode: WorkflowMode;
  targetMode: WorkflowMode;
}

/** The providers a stage works with: its own (or the default it relies on) and its `ai:` approvers. */
export function providersOf(stage: Stage): string[] {
  const approvers = [stage.gate.approver, stage.prompt_gate.approver].filter((a) => a.startsWith('ai:'));
  return [...(stage.provider === undefined ? [] : [stage.provider]), ...approvers.map((a) => a.slice(3))];
}

/**
 * A copy of a source stage that means the same in the target: stage and provider references renamed (with the
 * `outputs.<id>` of renamed stages), and the source defaults it relied on written out: its provider always, its
 * gate where the target's default gate differs (terminal stages have none).
 */
export function importedStage(params: {
  stage: Stage;
  item: YAMLMap;
  doc: Document;
  text: string;
  stageIds: ReadonlyMap<string, string>;
  providers: ReadonlyMap<string, string>;
  gates: DefaultGates;
}): Spliceable<YAMLMap> {
  const { stage, stageIds, providers, gates } = params;
  const piece = sourceItem(params.item, params.doc, params.text);
  const hadProvider = piece.node.has('provider');
  const hadGate = piece.node.has('gate');
  for (const ref of stageReferences(piece.node)) {
    const renamed = (ref.kind === 'stage' ? stageIds : providers).get(ref.name);
    if (renamed !== undefined && renamed !== ref.name)
      setScalar(piece, ref.scalar, `${ref.prefix}${renamed}`);
  }
  renameOutputs(piece, stageIds);
  const approver = (a: string) => (a.startsWith('ai:') ? `ai:${providers.get(a.slice(3)) ?? a.slice(3)}` : a);
  if (!hadProvider && stage.provider !== undefined) {
    addKey(piece, 'provider', providers.get(stage.provider) ?? stage.provider, 'after-id');
  }
  const source = defaultGate(gates.source, gates.sourceMode, stage);
  const target = defaultGate(gates.target, gates.targetMode, stage);
  if (
    stage.type !== 'terminal' &&
    !hadGate &&
    !isDeepStrictEqual({ ...source, approver: approver(source.approver) }, target)
  ) {
    addKey(piece, 'gate', withApprover(gates.sourceRaw ?? source.approver, approver), 'after-id');
  }
  return piece;
}

function withApprover(gate: unknown, map: (approver: string) => string): unknown {
  if (typeof gate === 'string') return map(gate);
  const written = gate as { approver: string };
  return { ...written, approver: map(written.approver) };
}
