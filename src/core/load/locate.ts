import { isMap, isPair, isScalar, isSeq, type Node, Scalar } from 'yaml';
import type { Path } from '../diagnostic.ts';
import type { SourceFile } from './source-file.ts';

export interface Position {
  line: number;
  col: number;
}

/**
 * The position of `path` in the file: of the value, or of the key when `atKey` is set. Where the path does not
 * exist (a missing field), the position of the nearest existing parent.
 */
export function locate(file: SourceFile, path: Path, atKey = false): Position {
  return file.lines.linePos(walk(file, path, atKey).offset);
}

/**
 * The position of the character at `offset` inside the text value at `path` (a template or a condition), or
 * undefined when the value is not written so that the place can be pinned (escapes, folded lines).
 */
export function locateInValue(file: SourceFile, path: Path, offset: number): Position | undefined {
  const { node, found } = walk(file, path, false);
  if (!found || !isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const value = node.value;
  const start = node.range[0];
  if (node.type === Scalar.BLOCK_LITERAL) return inBlock(file, start, value, offset);
  if (node.type === Scalar.BLOCK_FOLDED) return undefined;
  const from = start + (node.type === Scalar.PLAIN ? 0 : 1);
  if (file.text.slice(from, from + offset) !== value.slice(0, offset)) return undefined;
  return file.lines.linePos(from + offset);
}

/** A `|` block: the value's lines are the file's lines after the header, less their indentation. */
function inBlock(file: SourceFile, start: number, value: string, offset: number): Position | undefined {
  const before = value.slice(0, offset).split('\n');
  const lineInValue = before.length - 1;
  const colInValue = before.at(-1)?.length ?? 0;
  const header = file.lines.linePos(start).line;
  const fileLines = file.text.split(/\r?\n/);
  const body = fileLines.slice(header);
  const indent = body.find((l) => l.trim() !== '')?.match(/^ */)?.[0].length ?? 0;
  const line = body[lineInValue];
  const valueLine = value.split('\n')[lineInValue] ?? '';
  if (line === undefined || line.slice(indent, indent + colInValue) !== valueLine.slice(0, colInValue))
    return undefined;
  if (valueLine === '') return undefined;
  return { line: header + 1 + lineInValue, col: indent + colInValue + 1 };
}

function walk(
  file: SourceFile,
  path: Path,
  atKey: boolean,
): { node: unknown; offset: number; found: boolean } {
  let node: unknown = file.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyOf(p.key) === String(part));
      if (pair === undefined) return { node, offset, found: false };
      const keyStart = rangeStart(pair.key);
      const valueStart = rangeStart(pair.value);
      offset = (last && atKey) || valueStart === undefined ? (keyStart ?? offset) : valueStart;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part];
      const start = rangeStart(item);
      if (start === undefined) return { node, offset, found: false };
      offset = start;
      node = item;
    } else {
      return { node, offset, found: false };
    }
  }
  return { node, offset, found: true };
}

function keyOf(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}
