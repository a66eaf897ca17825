import { Document, isAlias, isScalar, type Node, Pair, Scalar, stringify, visit, YAMLMap } from 'yaml';
import { applyTextEdits, lineEnd, lineStart, reindent, type TextEdit } from './text-edits.ts';

/** The whole lines a node was written on, in the text its ranges point into. */
interface Origin {
  text: string;
  start: number;
  end: number;
  /** The column of the item's `-`, or of the pair's key. */
  column: number;
}

/**
 * A stage (a sequence item) or a provider (a mapping pair) on its way into the target, edited in step twice: as a
 * node, for the Document, and as text, so that it can be spliced into the target with every other byte unchanged.
 */
export interface Spliceable<N extends YAMLMap | Pair> {
  node: N;
  /** Undefined when the node cannot be edited as text; the edited Document is printed instead. */
  origin: Origin | undefined;
  /** Edits of `origin.text`, at offsets of that text. */
  edits: TextEdit[];
  /** How many keys `addKey` put after the id so far; the next one goes after them. */
  added: number;
}

const factory = new Document();

/** A stage of the target, edited in place. */
export function targetItem(item: YAMLMap, text: string): Spliceable<YAMLMap> {
  return spliceable(item, itemOrigin(item, text));
}

/** A copy of a stage of the source, free of anchors and aliases (a stage with aliases is copied as plain YAML). */
export function sourceItem(item: YAMLMap, doc: Document, text: string): Spliceable<YAMLMap> {
  if (hasAlias(item)) return spliceable(factory.createNode(item.toJS(doc)) as YAMLMap, undefined);
  return spliceable(withoutAnchors(item.clone() as YAMLMap), itemOrigin(item, text));
}

/** A copy of a provider of the source, free of anchors and aliases; `flow` when its mapping is a flow mapping. */
export function sourcePair(pair: Pair, doc: Document, text: string, flow: boolean): Spliceable<Pair> {
  const key = (pair.key as Scalar).clone();
  const value = pair.value as Node;
  if (hasAlias(value)) return spliceable(new Pair(key, factory.createNode(value.toJS(doc))), undefined);
  return spliceable(
    new Pair(key, withoutAnchors(value.clone() as Node)),
    flow ? undefined : pairOrigin(pair, text),
  );
}

function spliceable<N extends YAMLMap | Pair>(node: N, origin: Origin | undefined): Spliceable<N> {
  return { node, origin, edits: [], added: 0 };
}

/** Gives a scalar of the node a new value, keeping its quoting. */
export function setScalar(piece: Spliceable<YAMLMap | Pair>, scalar: Scalar, value: string): void {
  const range = scalar.range;
  if (piece.origin !== undefined && !range) piece.origin = undefined;
  if (piece.origin !== undefined && range) {
    piece.edits.push({ start: range[0], end: range[1], text: scalarText(value, scalar.type) });
  }
  scalar.value = value;
}

/** Replaces every match of the global `pattern` in a string scalar, in the node and in the text alike. */
export function replaceInScalar(
  piece: Spliceable<YAMLMap | Pair>,
  scalar: Scalar,
  pattern: RegExp,
  replacement: (match: RegExpExecArray) => string,
): void {
  if (typeof scalar.value !== 'string') return;
  const inValue = [...scalar.value.matchAll(pattern)];
  if (inValue.length === 0) return;
  let value = scalar.value;
  for (const m of inValue.reverse()) {
    value = value.slice(0, m.index) + replacement(m) + value.slice(m.index + m[0].length);
  }
  scalar.value = value;
  if (piece.origin === undefined) return;
  const range = scalar.range;
  const inText = range ? [...piece.origin.text.slice(range[0], range[1]).matchAll(pattern)] : [];
  if (!range || inText.length !== inValue.length) {
    piece.origin = undefined;
    return;
  }
  for (const m of inText) {
    piece.edits.push({
      start: range[0] + m.index,
      end: range[0] + m.index + m[0].length,
      text: replacement(m),
    });
  }
}

/**
 * Adds `key: value` to a stage: after its id (and the keys added there before), or after its last key. The new
 * line takes the indentation of the stage's first key.
 */
export function addKey(
  piece: Spliceable<YAMLMap>,
  key: string,
  value: unknown,
  where: 'after-id' | 'end',
): void {
  const map = piece.node;
  const id = map.items.findIndex((p) => isScalar(p.key) && p.key.value === 'id');
  const anchorEnd =
    where === 'end' ? map.items.map(pairEnd).findLast((end) => end !== undefined) : pairEnd(map.items[id]);
  const firstKey = (map.items[0]?.key as Node | null | undefined)?.range;
  const pair = new Pair(new Scalar(key), factory.createNode(value));
  if (where === 'end') map.items.push(pair);
  else map.items.splice(id + 1 + piece.added++, 0, pair);
  if (piece.origin === undefined) return;
  const { text } = piece.origin;
  const lines = firstKey ? reindent(pairText(pair), firstKey[0] - lineStart(text, firstKey[0])) : undefined;
  if (map.flow || anchorEnd === undefined || lines === undefined) {
    piece.origin = undefined;
    return;
  }
  const pos = lineEnd(text, anchorEnd);
  const newline = pos === text.length && !text.endsWith('\n') ? '\n' : '';
  piece.edits.push({ start: pos, end: pos, text: newline + lines });
}

/** The node's lines with its edits applied, its `-` or key moved to `column`; undefined when not possible. */
export function renderLines(piece: Spliceable<YAMLMap | Pair>, column: number): string | undefined {
  if (piece.origin === undefined) return undefined;
  const { text, start, end } = piece.origin;
  const edits = piece.edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
  if (edits.some((e) => e.start < 0 || e.end > end - start)) return undefined;
  const body = applyTextEdits(text.slice(start, end), edits);
  if (body === undefined) return undefined;
  return reindent(body.endsWith('\n') ? body : `${body}\n`, column - piece.origin.column);
}

function itemOrigin(item: YAMLMap, text: string): Origin | undefined {
  if (!item.range) return undefined;
  const start = lineStart(text, item.range[0]);
  const dash = /^( *)- +$/.exec(text.slice(start, item.range[0]));
  if (dash === null) return undefined;
  return { text, start, end: lineEnd(text, item.range[1]), column: dash[1]?.length ?? 0 };
}

function pairOrigin(pair: Pair, text: string): Origin | undefined {
  const keyRange = (pair.key as Node | null)?.range;
  const valueRange = (pair.value as Node | null)?.range;
  if (!keyRange || !valueRange) return undefined;
  const start = lineStart(text, keyRange[0]);
  const indent = text.slice(start, keyRange[0]);
  if (!/^ *$/.test(indent)) return undefined;
  return { text, start, end: lineEnd(text, valueRange[1]), column: indent.length };
}

function pairEnd(pair: Pair | undefined): number | undefined {
  return ((pair?.value as Node | null | undefined)?.range ??
    (pair?.key as Node | null | undefined)?.range)?.[1];
}

function hasAlias(node: Node): boolean {
  let found = false;
  visit(node, {
    Alias: () => {
      found = true;
      return visit.BREAK;
    },
  });
  return found || isAlias(node);
}

function withoutAnchors<T extends Node>(node: T): T {
  visit(node, {
    Node: (_, n) => {
      n.anchor = undefined;
    },
  });
  return node;
}

function pairText(pair: Pair): string {
  const map = new YAMLMap();
  map.items.push(pair);
  return new Document(map).toString({ lineWidth: 0 });
}

function scalarText(value: string, type: Scalar['type']): string {
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`;
  if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  return stringify(value, { lineWidth: 0 }).trimEnd();
}
