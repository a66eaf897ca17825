import type { Document, YAMLMap } from 'yaml';
import { normalizeWorkflow } from '../load/normalize.ts';
import { WorkflowSchema } from '../schema/workflow.ts';
import type { Stage, StageType } from '../workflow.ts';
import { addKey, type Spliceable } from './spliceable.ts';

export interface PlacedStage {
  piece: Spliceable<YAMLMap>;
  /** The type and next stage it had in its own file (next renamed as the import renamed stages). */
  expected: { type: StageType; next: string | undefined };
}

/**
 * Stage types and `next` may follow from file order (the first stage is the entry, the last the terminal, a stage
 * moves on to the one below). Where moving stages between files changed what they resolve to, this writes the
 * old value out: `type` after the id, `next` at the end. `stages` lists the document's stages in order.
 */
export function pinImplicitOrder(doc: Document, stages: readonly PlacedStage[]): void {
  for (let round = 0; round <= stages.length; round++) {
    const resolved = resolveStages(doc);
    const drifted = stages.filter(
      (s, i) => resolved?.[i]?.type !== s.expected.type && !s.piece.node.has('type'),
    );
    if (resolved === undefined || drifted.length === 0) break;
    for (const s of drifted) addKey(s.piece, 'type', s.expected.type, 'after-id');
  }
  const resolved = resolveStages(doc);
  stages.forEach((s, i) => {
    const { type, next } = s.expected;
    const { node } = s.piece;
    if (resolved === undefined || type === 'terminal' || next === undefined) return;
    if (node.has('next') || node.has('transitions') || resolved[i]?.next === next) return;
    addKey(s.piece, 'next', next, 'end');
  });
}

function resolveStages(doc: Document): Stage[] | undefined {
  const parsed = WorkflowSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  return parsed.success ? normalizeWorkflow(parsed.data).stages : undefined;
}
