/** A line of a comment that a reader sees as ordinary text: not code, not a quote, not inside an HTML comment. */
export interface VisibleLine {
  /** 1-based. */
  line: number;
  /** The line as written, without its line break. */
  raw: string;
  /** The line with any HTML comments on it taken out. */
  text: string;
}

type Block =
  | { kind: 'text' }
  | { kind: 'html-comment' }
  | { kind: 'fence'; char: string; length: number; maxCloseIndent: number };

const TEXT: Block = { kind: 'text' };
const HTML_COMMENT: Block = { kind: 'html-comment' };

/**
 * Up to 3 spaces, list markers (a fence may open a list item), then 3 or more backticks or tildes. The `s` flag: only
 * \n ends a line in Markdown, so a U+2028 in the info string is just a character of it.
 */
const FENCE_OPEN = /^( {0,3}(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*)(`{3,}|~{3,})(.*)$/s;
const FENCE_CLOSE = /^( *)(`{3,}|~{3,})[ \t]*$/;
/** 4 columns of indentation make a code block; a tab always reaches column 4. */
const INDENTED_CODE = /^(?: {0,3}\t| {4})/;
const QUOTE = /^ {0,3}>/;

/**
 * The lines of a comment that could hold a command, numbered as in the comment. Line breaks are normalised (CRLF
 * and a lone CR count as one); fenced and indented code, `>` quotes and HTML comments are left out, as a reader on
 * GitHub would not see them as plain text.
 */
export function visibleLines(body: string): VisibleLine[] {
  const out: VisibleLine[] = [];
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let block = TEXT;
  for (const [index, raw] of lines.entries()) {
    let text = raw;
    if (block.kind === 'fence') {
      if (closesFence(raw, block)) block = TEXT;
      continue;
    }
    if (block.kind === 'html-comment') {
      const end = raw.indexOf('-->');
      if (end === -1) continue;
      text = raw.slice(end + 3);
      block = TEXT;
    } else {
      const fence = openingFence(raw);
      if (fence !== undefined) {
        block = fence;
        continue;
      }
      // Code shows `<!--` as text, so an indented line opens no comment.
      if (INDENTED_CODE.test(raw)) continue;
    }
    const stripped = withoutHtmlComments(text);
    // An unclosed `<!--` hides the rest of the comment on GitHub, even one in a quote: its HTML sanitiser reads the
    // rendered page, where the quote has ended but the comment has not.
    if (stripped.unclosed) block = HTML_COMMENT;
    // Checked on the whole line: text after a comment that closes in a quote is quoted too.
    if (QUOTE.test(raw)) continue;
    out.push({ line: index + 1, raw, text: stripped.text });
  }
  return out;
}

function openingFence(line: string): Block | undefined {
  const match = FENCE_OPEN.exec(line);
  if (match === null) return undefined;
  const [, prefix = '', fence = '', info = ''] = match;
  const char = fence.charAt(0);
  // A backtick fence's info string cannot hold a backtick: "```x```" is inline code, not a fence.
  if (char === '`' && info.includes('`')) return undefined;
  const inListItem = prefix.trim() !== '';
  return { kind: 'fence', char, length: fence.length, maxCloseIndent: (inListItem ? prefix.length : 0) + 3 };
}

function closesFence(line: string, fence: { char: string; length: number; maxCloseIndent: number }): boolean {
  const match = FENCE_CLOSE.exec(line);
  if (match === null) return false;
  const [, indent = '', marker = ''] = match;
  return (
    indent.length <= fence.maxCloseIndent && marker.charAt(0) === fence.char && marker.length >= fence.length
  );
}

/**
 * The text with `<!-- ... -->` taken out, and whether a comment is left open at the end of the line. The close is
 * searched from just after `<!`, as browsers do, so `<!-->` is an empty comment.
 */
function withoutHtmlComments(line: string): { text: string; unclosed: boolean } {
  let text = '';
  let from = 0;
  for (;;) {
    const start = line.indexOf('<!--', from);
    if (start === -1) return { text: text + line.slice(from), unclosed: false };
    text += line.slice(from, start);
    const end = line.indexOf('-->', start + 2);
    if (end === -1) return { text, unclosed: true };
    from = end + 3;
  }
}
