import type { Nodes, Parents } from 'mdast';
import { parseMarkdown } from './parse-markdown.ts';

/** An `@` that GitHub would take as a mention: not after a letter, digit or backtick, before a login's first character. */
const MENTION = /(^|[^A-Za-z0-9_`])@(?=[A-Za-z0-9])/g;

/**
 * Markdown with every GitHub mention (`@login`, `@org/team`) in its text defused by a zero-width space after the
 * `@`, so posting it notifies nobody. Code spans, code blocks, HTML and link targets are left as they are (GitHub
 * does not mention there, and code must stay byte for byte). The text is parsed with micromark
 * (`parseMarkdown`), so what counts as code is what GitHub shows as code. Pure.
 */
export function defuseMentions(markdown: string): string {
  if (!markdown.includes('@')) return markdown;
  const ranges: [number, number][] = [];
  collect(parseMarkdown(markdown), ranges);
  const pieces: string[] = [];
  let at = 0;
  for (const [start, end] of ranges.sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    pieces.push(markdown.slice(at, start), markdown.slice(start, end).replace(MENTION, '$1@\u200b'));
    at = end;
  }
  pieces.push(markdown.slice(at));
  return pieces.join('');
}

function collect(parent: Parents, ranges: [number, number][]): void {
  for (const child of parent.children as Nodes[]) {
    if (child.type === 'text') {
      const start = child.position?.start.offset;
      const end = child.position?.end.offset;
      if (start !== undefined && end !== undefined) ranges.push([start, end]);
    } else if ('children' in child) {
      collect(child, ranges);
    }
  }
}
