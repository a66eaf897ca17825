import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';

const ENTITIES: Record<string, string> = {
  '|': '&#124;',
  '<': '&lt;',
  '>': '&gt;',
  '`': '&#96;',
  '\\': '&#92;',
};

/**
 * Text that people (or models) wrote, as Markdown that shows exactly that text and nothing more. It is serialised
 * as one mdast text node by mdast-util-to-markdown with the GFM extensions, which escapes whatever would start a
 * construct (links, images, headings, lists, emphasis, HTML, code); each
 * of its backslash escapes is then written as a numeric character reference, and `|`, `<`, `>`, backticks and
 * backslashes as entities, because references also hold inside HTML blocks (`<details>`) and table cells, where
 * backslashes do not. GitHub mentions are not Markdown: `@` is followed by a zero-width space (`&#8203;`), so
 * `@org/team` notifies nobody; nor are autolinks: GitHub finds `https://` and `www.` in the decoded text, so a
 * zero-width space goes into each. Line breaks stay line breaks. Pure.
 */
export function inertMarkdown(text: string): string {
  if (text.trim() === '') return text;
  // GitHub finds autolinks (`https://`, `www.`) in text after escapes are decoded: a zero-width space breaks them.
  const unlinked = text.replace(/:\/\//g, ':\u200b//').replace(/\b(www)\./gi, '$1\u200b.');
  const escaped = toMarkdown(
    { type: 'paragraph', children: [{ type: 'text', value: unlinked }] },
    { extensions: [gfmToMarkdown()] },
  ).replace(/\n$/, '');
  return escaped
    .replace(/\\([!-/:-@[-`{-~])/g, (_, c: string) => ENTITIES[c] ?? `&#${c.charCodeAt(0)};`)
    .replace(/[|<>`\\]/g, (c) => ENTITIES[c] ?? c)
    .replace(/@/g, '@&#8203;');
}
