import { type Document, isMap, isNode, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap } from 'yaml';
import type { SourceFile } from '../load/source-file.ts';
import type { Stage, Workflow } from '../workflow.ts';
import { type DefaultGates, importedStage } from './imported-stage.ts';
import type { PlacedStage } from './pin-implicit-order.ts';
import type { ImportedProvider } from './plan-providers.ts';
import type { ImportedStage } from './plan-stage-ids.ts';
import { type SplicedStage, type TargetLayout, targetLayout } from './splice-target.ts';
import { type Spliceable, setScalar, sourcePair } from './spliceable.ts';

export interface AssembledTarget {
  /** The target's Document with the imported stages and providers in it. */
  doc: Document;
  /** Where the target's text takes them, read before the Document was edited. */
  layout: TargetLayout;
  /** Every stage of the result, in order: target stages kept or overwritten, then the new ones. */
  stages: (PlacedStage & SplicedStage)[];
  /** The providers added to the target. */
  providers: Spliceable<Pair>[];
}

/** Puts the chosen source stages, and the providers they use, into a fresh Document of the target. */
export function assembleTarget(params: {
  source: { file: SourceFile; workflow: Workflow; chosen: readonly Stage[] };
  target: { text: string; workflow: Workflow };
  imported: readonly ImportedStage[];
  providers: readonly ImportedProvider[];
}): AssembledTarget {
  const { source, target, imported } = params;
  const doc = parseDocument(target.text, { uniqueKeys: true });
  const layout = targetLayout(doc, target.text);
  const stages: AssembledTarget['stages'] = layout.items.map((piece, i) => {
    const stage = target.workflow.stages[i];
    return { piece, imported: false, expected: { type: stage?.type ?? 'work', next: stage?.next } };
  });
  const stageIds = new Map(imported.map((s) => [s.from, s.to]));
  const providerNames = new Map(params.providers.map((p) => [p.from, p.to]));
  const gates = defaultGates(source.file, source.workflow, target.workflow);
  const items = source.file.doc.get('stages', true);
  source.chosen.forEach((stage, k) => {
    const item = isSeq(items) ? items.items[stage.index] : undefined;
    if (!isMap(item)) return;
    const { file } = source;
    const piece = importedStage({
      stage,
      item,
      doc: file.doc,
      text: file.text,
      stageIds,
      providers: providerNames,
      gates,
    });
    const next = stage.next === undefined ? undefined : (stageIds.get(stage.next) ?? stage.next);
    const entry = { piece, imported: true, expected: { type: stage.type, next } };
    const at =
      imported[k]?.action === 'merged' ? target.workflow.stages.findIndex((s) => s.id === stage.id) : -1;
    if (at >= 0) stages[at] = { ...entry, replaces: at };
    else stages.push(entry);
  });
  const providers = providerPieces(source.file, params.providers);
  placeInDocument(doc, stages, providers);
  return { doc, layout, stages, providers };
}

function defaultGates(file: SourceFile, source: Workflow, target: Workflow): DefaultGates {
  const written = file.doc.getIn(['defaults', 'gate'], true);
  return {
    sourceRaw: isNode(written) ? written.toJS(file.doc) : undefined,
    source: source.defaults.gate,
    target: target.defaults.gate,
    sourceMode: source.mode,
    targetMode: target.mode,
  };
}

function providerPieces(file: SourceFile, providers: readonly ImportedProvider[]): Spliceable<Pair>[] {
  const map = file.doc.get('providers', true);
  if (!isMap(map)) return [];
  return providers.flatMap((p) => {
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === p.from);
    if (p.action === 'reused' || pair === undefined) return [];
    const piece = sourcePair(pair as Pair, file.doc, file.text, map.flow === true);
    if (p.to !== p.from) setScalar(piece, piece.node.key as Scalar, p.to);
    return [piece];
  });
}

function placeInDocument(
  doc: Document,
  stages: readonly SplicedStage[],
  providers: readonly Spliceable<Pair>[],
): void {
  const root = doc.contents as YAMLMap;
  const seq = root.get('stages', true);
  if (isSeq(seq)) seq.items = stages.map((s) => s.piece.node);
  if (providers.length === 0) return;
  const existing = root.get('providers', true);
  if (isMap(existing)) {
    existing.items.push(...providers.map((p) => p.node));
    return;
  }
  const map = new YAMLMap();
  map.items.push(...providers.map((p) => p.node));
  const at = root.items.findIndex((p) => isScalar(p.key) && p.key.value === 'stages');
  root.items.splice(at < 0 ? root.items.length : at, 0, new Pair(new Scalar('providers'), map));
}
