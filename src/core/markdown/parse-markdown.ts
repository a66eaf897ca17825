import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

/**
 * The syntax tree of GitHub-flavoured Markdown, as micromark (a CommonMark-compliant parser with the GFM
 * extensions: tables, autolink literals, footnotes, strikethrough, task lists) reads it, with source offsets on
 * every node. Pure.
 */
export function parseMarkdown(text: string): Root {
  return fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}
