import { inertMarkdown } from '../markdown/inert-markdown.ts';

/** The longest user text a table cell or status line shows, in characters, before it is cut with `…`. */
export const MAX_CELL_CHARS = 200;

/**
 * User-controlled text (titles, reasons, notes, actor names) made safe for one Markdown table cell or one line:
 * line breaks and other control characters become spaces; text longer than `max` characters is cut with `…`;
 * then it is made inert (`inertMarkdown`: no link, image, autolink, heading, HTML, code span or mention can form,
 * and `|` is an entity, so the text cannot end a table cell, a `<details>` block or an HTML comment either).
 */
export function escapeMarkdownCell(text: string, max: number = MAX_CELL_CHARS): string {
  const flat = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  // Counted in characters (code points), so an emoji is never split in half.
  const chars = Array.from(flat);
  const kept = chars
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd();
  const cut = chars.length > max ? `${kept}…` : flat;
  return inertMarkdown(cut);
}
