/**
 * Untrusted text (issue and pull request bodies, comments, diffs, earlier outputs, feedback) made safe to show a
 * model: everything a person reading the rendered page would not see is removed, so it cannot carry hidden
 * instructions.
 *
 * - HTML comments (`<!-- ... -->`; an unclosed one hides the rest of the text, as on GitHub);
 * - Markdown comments written as link definitions to `#` (`[//]: # (hidden)`), which never render;
 * - invisible format characters (Unicode category Cf): zero-width spaces and joiners, the word joiner, the
 *   byte order mark, soft hyphens, bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
 *   U+061C) and tag characters (U+E0000-U+E007F);
 * - variation selectors (U+FE00-U+FE0F, U+E0100-U+E01EF), which can smuggle data after any character;
 * - control characters other than tab and line feed; CRLF and lone CR become LF.
 *
 * Visible text is left as it is. Pure.
 */
export function sanitizeUntrusted(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/<!--[\s\S]*?(?:-->|--!>|$)/g, '')
    .replace(/^ {0,3}\[[^\]\n]*\]:[ \t]*<?#>?(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$\n?/gm, '')
    .replace(INVISIBLE, '');
}

/**
 * Untrusted code (a pull request's diff) made safe to show a model. In code nothing is hidden, so comments stay;
 * but the invisible and bidirectional characters of "Trojan Source" are shown as `<U+202E>` instead of being
 * removed, so a reviewing model sees that they are there. CRLF and lone CR become LF. Pure.
 */
export function sanitizeCode(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** A one-line untrusted value (a title, a file name, a login): sanitised, with line breaks turned into spaces. */
export function sanitizeLine(text: string): string {
  return sanitizeUntrusted(text).replace(/\s*\n\s*/g, ' ');
}

/** Format characters, variation selectors, and control characters other than tab and line feed. */
const INVISIBLE = /\p{Cf}|\p{Variation_Selector}|[^\P{Cc}\t\n]/gu;
