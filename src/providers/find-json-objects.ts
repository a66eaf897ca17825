/**
 * Every top-level JSON object written somewhere in `text` (in prose, in a ```json fence, or alone), parsed, in
 * order of appearance. Braces inside JSON strings are skipped; a `{ ... }` that does not parse as a JSON object
 * (prose in braces, a code snippet) is passed over and the search goes on from the brace after it.
 */
export function findJsonObjects(text: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (let start = text.indexOf('{'); start !== -1; ) {
    const end = closingBrace(text, start);
    const parsed = end === -1 ? undefined : parseObject(text.slice(start, end + 1));
    if (parsed !== undefined) found.push(parsed);
    start = text.indexOf('{', parsed === undefined ? start + 1 : end + 1);
  }
  return found;
}

/** The index of the `}` that closes the `{` at `start`, reading JSON strings as strings; -1 if none does. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
  }
  return -1;
}

function parseObject(candidate: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(candidate);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
