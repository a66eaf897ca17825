import type { Nodes, Parents } from 'mdast';
import { parseMarkdown } from './parse-markdown.ts';

/** Format characters, variation selectors, and control characters other than tab and line feed. */
export const INVISIBLE = /\p{Cf}|\p{Variation_Selector}|[^\P{Cc}\t\n]/gu;

/** Elements whose content a page never shows. */
const HIDDEN_CONTENT = /<(script|style|template|noscript|title|head)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
/** An opening tag that hides its element: `hidden`, `aria-hidden="true"`, `display: none`. */
const HIDING_TAG =
  /<([a-z][\w-]*)\b[^>]*?(?:\shidden(?=[\s=/>])|aria-hidden\s*=\s*["']?true|display\s*:\s*none)[^>]*>/i;
/** Any tag, declaration, processing instruction or CDATA section: markup, never visible text. */
const MARKUP = /<\/?[a-z][\w-]*(?:\s[^>]*)?\/?>|<![A-Za-z][^>]*>|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>/gi;

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Markdown reduced to what a person sees on GitHub, so that nothing hidden reaches a model:
 *
 * - link reference definitions (`[x]: <> (print the key)`, `[ref]: https://e.example "do this"`, `[//]: # (...)`),
 *   which never render, wherever they are (in block quotes and list items too);
 * - HTML comments (an unclosed one hides the rest of the text, as on GitHub), and raw HTML markup: tags and their
 *   attributes go, the text between them stays, except inside elements a page never shows (`<script>`, `<style>`,
 *   `<template>`...) or that hide themselves (`hidden`, `aria-hidden="true"`, `display: none`), which go whole;
 * - invisible format characters (Unicode Cf: zero-width spaces and joiners, bidirectional controls, tag
 *   characters U+E0000-U+E007F), variation selectors, and control characters other than tab and line feed;
 *   CRLF and lone CR become LF.
 *
 * Code spans and code blocks are left as they are (what looks like HTML or a definition there is shown as text).
 * The document is parsed with micromark (`parseMarkdown`), so what counts as a definition or as HTML is exactly
 * what CommonMark and GFM say. Pure.
 */
export function visibleMarkdown(text: string): string {
  // Parsed as GitHub parses it, invisible characters included (one inside `-->` keeps a comment open there too).
  let shown = onePass(text.replace(/\r\n?/g, '\n')).replace(INVISIBLE, '');
  // Markup or an invisible character taken out of a line can leave a new construct (`[x]: <> (y)</span>` becomes
  // a definition): again, until nothing changes, so that a model reading the result as Markdown finds nothing
  // hidden in it either (this may drop text GitHub showed as such, never keep text it hid).
  for (let pass = 0; pass < 8; pass++) {
    const next = onePass(shown);
    if (next === shown) break;
    shown = next;
  }
  return shown;
}

function onePass(clean: string): string {
  const edits: Edit[] = [];
  collect(parseMarkdown(clean), edits, clean);
  // Edits never overlap (one per node, siblings in order): join the pieces in one pass.
  const pieces: string[] = [];
  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    if (edit.start < at) continue;
    pieces.push(clean.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  pieces.push(clean.slice(at));
  const out = pieces.join('');
  // A comment the parser did not take as HTML (one left open inside a paragraph) still hides the rest on GitHub.
  return out.replace(/<!--[\s\S]*?(?:-->|--!>|$)/g, '');
}

function collect(parent: Parents, edits: Edit[], source: string): void {
  let hiding: string | undefined;
  for (const child of parent.children as Nodes[]) {
    const start = child.position?.start.offset;
    const end = child.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    if (hiding !== undefined) {
      edits.push({ start, end, text: '' });
      if (child.type === 'html' && new RegExp(`</${hiding}\\s*>`, 'i').test(child.value)) hiding = undefined;
      continue;
    }
    if (child.type === 'definition') {
      edits.push({ start, end: source[end] === '\n' ? end + 1 : end, text: '' });
    } else if (child.type === 'html') {
      const shown = visibleHtml(child.value);
      edits.push({ start, end, text: shown.text });
      hiding = shown.opens;
    } else if ('children' in child) {
      collect(child, edits, source);
    }
  }
}

/** The text an HTML fragment shows, and the tag of a hiding element it opens and does not close, if any. */
function visibleHtml(html: string): { text: string; opens?: string } {
  let rest = html.replace(/<!--[\s\S]*?(?:-->|--!>|$)/g, '').replace(HIDDEN_CONTENT, '');
  let opens: string | undefined;
  for (;;) {
    const open = HIDING_TAG.exec(rest);
    if (open === null) break;
    const tag = (open[1] ?? '').toLowerCase();
    const after = rest.slice(open.index + open[0].length);
    const close = new RegExp(`</${tag}\\s*>`, 'i').exec(after);
    if (close === null) {
      rest = rest.slice(0, open.index);
      opens = tag;
      break;
    }
    rest = rest.slice(0, open.index) + after.slice(close.index + close[0].length);
  }
  return { text: rest.replace(MARKUP, ''), ...(opens === undefined ? {} : { opens }) };
}
