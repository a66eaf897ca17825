/** Visible spaces that separate words. Not zero-width characters, which hide text instead. */
const SPACE_CHARS = '\\t \\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000';
const SPACE = `[${SPACE_CHARS}]`;
const FIRST_WORD = new RegExp(`^([^${SPACE_CHARS}]*)(.*)$`, 'su');
const WORD = new RegExp(`[^${SPACE_CHARS}]+`, 'gu');
const ONE_SPACE = new RegExp(`^${SPACE}$`, 'u');

/**
 * Invisible format characters (Unicode category Cf): zero-width space, joiners, word joiner, byte order mark, soft
 * hyphen, bidirectional controls, tag characters. They hide text, so a command word holding one is no command.
 */
export const INVISIBLE = /\p{Cf}/u;
const INVISIBLE_ALL = /\p{Cf}/gu;

/** Quote pairs that wrap a whole argument: `"too risky"`, and the curly quotes that phones and Macs type. */
const QUOTES: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ["'", "'"],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
];

/** The first word and the rest after the spaces that follow it (empty when nothing follows). */
export function splitFirstWord(text: string): [word: string, rest: string] {
  const [, word = '', rest = ''] = FIRST_WORD.exec(trimSpaces(text)) ?? [];
  return [word, trimSpaces(rest)];
}

/** The words of a text, split at visible spaces. */
export function splitWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The words of a text with where each starts, so the text from a word on can be kept as written. */
export function wordSpans(text: string): { word: string; start: number }[] {
  return Array.from(text.matchAll(WORD), (match) => ({ word: match[0], start: match.index }));
}

/**
 * A free-text argument as a reader sees it: invisible characters removed, spaces at the ends trimmed, and one pair
 * of quotes around the whole of it taken off. Empty when nothing visible is left.
 */
export function argumentText(text: string): string {
  const visible = trimSpaces(text.replace(INVISIBLE_ALL, ''));
  for (const [open, close] of QUOTES) {
    const inner = visible.slice(open.length, visible.length - close.length);
    const wrapped =
      visible.length >= open.length + close.length && visible.startsWith(open) && visible.endsWith(close);
    if (wrapped && !inner.includes(open) && !inner.includes(close)) return trimSpaces(inner);
  }
  return visible;
}

/** Trims visible spaces at both ends. A loop, as `/\s+$/` takes quadratic time on a long run of spaces. */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && ONE_SPACE.test(text.charAt(start))) start++;
  while (end > start && ONE_SPACE.test(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}
