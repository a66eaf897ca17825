/** A value as `fenceValue` wraps it: a newline, an opening fence labelled `data: <label>`, the text, the fence. */
const FENCED = /^\n(`{3,})data: [^\n]*\n([\s\S]*)\n\1\n$/;

/**
 * The template context of a prompt with each value's data fence taken off, and nothing else changed: the values
 * stay sanitised and bounded as the prompt context made them. Arrays and objects are copied; other values kept.
 * A system action's text is no prompt, so it has no use for the fences that tell a model data from instructions.
 * Pure.
 */
export function unfenceValues<T>(value: T): T {
  if (typeof value === 'string') return (FENCED.exec(value)?.[2] ?? value) as T;
  if (Array.isArray(value)) return value.map((v) => unfenceValues(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unfenceValues(v)])) as T;
  }
  return value;
}
