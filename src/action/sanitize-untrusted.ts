import { INVISIBLE, visibleMarkdown } from '../core/markdown/visible-markdown.ts';

/**
 * Untrusted Markdown (issue and pull request bodies, comments, review bodies, earlier outputs, feedback) made safe
 * to show a model: everything a person reading the rendered page would not see is removed, so it cannot carry
 * hidden instructions: link reference definitions, HTML comments and hidden HTML, invisible and bidirectional
 * characters (see `visibleMarkdown`, which parses the text as GitHub-flavoured Markdown). Visible text is left as
 * it is. Pure.
 */
export function sanitizeUntrusted(text: string): string {
  return visibleMarkdown(text);
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

/**
 * A one-line untrusted value (a title, a label, a branch or file name): invisible characters removed, line breaks
 * turned into spaces. GitHub shows such values as plain text, so nothing else in them is hidden. Pure.
 */
export function sanitizeLine(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
