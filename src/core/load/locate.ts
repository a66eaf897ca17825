import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
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
  let node: unknown = file.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyOf(p.key) === String(part));
      if (pair === undefined) break;
      const keyStart = rangeStart(pair.key);
      const valueStart = rangeStart(pair.value);
      offset = (last && atKey) || valueStart === undefined ? (keyStart ?? offset) : valueStart;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part];
      const start = rangeStart(item);
      if (start === undefined) break;
      offset = start;
      node = item;
    } else {
      break;
    }
  }
  return file.lines.linePos(offset);
}

function keyOf(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}
