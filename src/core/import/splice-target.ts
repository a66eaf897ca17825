import { type Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { renderLines, type Spliceable, targetItem } from './spliceable.ts';
import { applyTextEdits, lineEnd, lineStart, type TextEdit } from './text-edits.ts';

/** Where the target's text takes new stages and providers; read before the Document is edited. */
export interface TargetLayout {
  text: string;
  /** The target's stages as written. */
  items: Spliceable<YAMLMap>[];
  /** After the last stage's lines; `column` is where its `-` is. */
  stages: { at: number; column: number } | undefined;
  /** After the last provider's lines, or (with a `providers:` header) above the `stages:` key and its comments. */
  providers: { at: number; column: number; header: string } | undefined;
}

export function targetLayout(doc: Document, text: string): TargetLayout {
  const root = doc.contents;
  const seq = isMap(root) ? root.get('stages', true) : undefined;
  const items = isSeq(seq) ? seq.items.filter(isMap).map((item) => targetItem(item, text)) : [];
  const last = items.at(-1)?.node.range;
  const column = items[0]?.origin?.column;
  const stages = last && column !== undefined ? { at: lineEnd(text, last[1]), column } : undefined;
  return { text, items, stages, providers: isMap(root) ? providersPlace(root, text) : undefined };
}

/** A stage in its place in the result: a target stage kept, or an imported one (overwriting `replaces`). */
export interface SplicedStage {
  piece: Spliceable<YAMLMap>;
  imported: boolean;
  /** The index of the target stage an imported stage overwrites. */
  replaces?: number;
}

/** The target's text with the stages and providers spliced in; undefined where the layout does not allow it. */
export function spliceTarget(
  layout: TargetLayout,
  stages: readonly SplicedStage[],
  providers: readonly Spliceable<Pair>[],
): string | undefined {
  const edits: TextEdit[] = [];
  const appended: string[] = [];
  for (const { piece, imported, replaces } of stages) {
    if (!imported) {
      if (piece.origin === undefined && piece.added > 0) return undefined;
      edits.push(...piece.edits);
      continue;
    }
    const lines = layout.stages && renderLines(piece, layout.stages.column);
    if (lines === undefined) return undefined;
    if (replaces === undefined) {
      appended.push(lines);
      continue;
    }
    const old = layout.items[replaces]?.origin;
    if (old === undefined) return undefined;
    edits.push({ start: old.start, end: old.end, text: lines });
  }
  if (appended.length > 0 && layout.stages)
    edits.push(insertion(layout.text, layout.stages.at, appended.join('')));
  if (providers.length > 0) {
    const place = layout.providers;
    const lines = providers.map((p) => place && renderLines(p, place.column));
    if (place === undefined || lines.some((l) => l === undefined)) return undefined;
    edits.push(insertion(layout.text, place.at, place.header + lines.join('')));
  }
  return applyTextEdits(layout.text, edits);
}

function insertion(text: string, at: number, lines: string): TextEdit {
  const newline = at === text.length && text !== '' && !text.endsWith('\n') ? '\n' : '';
  return { start: at, end: at, text: newline + lines };
}

function providersPlace(root: YAMLMap, text: string): TargetLayout['providers'] {
  const providers = root.get('providers', true);
  if (isMap(providers)) {
    const first = (providers.items[0]?.key as Node | null | undefined)?.range;
    const last = (providers.items.at(-1)?.value as Node | null | undefined)?.range;
    if (providers.flow || !first || !last) return undefined;
    return { at: lineEnd(text, last[1]), column: first[0] - lineStart(text, first[0]), header: '' };
  }
  if (providers !== undefined) return undefined;
  const key = root.items.find((p) => isScalar(p.key) && p.key.value === 'stages')?.key as Node | undefined;
  if (!key?.range) return undefined;
  let at = lineStart(text, key.range[0]);
  const column = key.range[0] - at;
  while (at > 0) {
    const above = lineStart(text, at - 1);
    if (!text.slice(above, at).trimStart().startsWith('#')) break;
    at = above;
  }
  return { at, column: column + 2, header: `${' '.repeat(column)}providers:\n` };
}
