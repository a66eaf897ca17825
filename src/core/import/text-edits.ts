/** A replacement of `text[start, end)`; an insertion when `start === end`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies non-overlapping edits; insertions at the same offset keep the order they were made in. Undefined when
 * two edits overlap.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string | undefined {
  const ordered = edits.map((edit, order) => ({ edit, order }));
  ordered.sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.order - b.order);
  let out = '';
  let cursor = 0;
  for (const { edit } of ordered) {
    if (edit.start < cursor) return undefined;
    out += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}

/** The offset where the line holding `pos` starts. */
export function lineStart(text: string, pos: number): number {
  return pos === 0 ? 0 : text.lastIndexOf('\n', pos - 1) + 1;
}

/** The offset just after the line holding `pos` (after its newline), or `pos` itself when a line starts there. */
export function lineEnd(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const newline = text.indexOf('\n', pos);
  return newline === -1 ? text.length : newline + 1;
}

/** Shifts every non-empty line by `delta` columns; undefined when a line has too little indentation to lose. */
export function reindent(lines: string, delta: number): string | undefined {
  if (delta === 0) return lines;
  const out: string[] = [];
  for (const line of lines.split('\n')) {
    if (line === '') out.push(line);
    else if (delta > 0) out.push(' '.repeat(delta) + line);
    else if (line.slice(0, -delta).trim() !== '') return undefined;
    else out.push(line.slice(-delta));
  }
  return out.join('\n');
}
