export type Verdict = 'pass' | 'fail';

/**
 * The verdict of a review response (a stage with `verdict: true`), or undefined when it states none.
 *
 * Accepted, case-insensitively, on a line of its own (indented by at most three spaces):
 * - a verdict line: `VERDICT: PASS`, `Verdict: fail`, optionally bold (`**Verdict:** PASS`, `**Verdict**: PASS`,
 *   `**Verdict: PASS**`, `Verdict: **FAIL**`, also with `__`) and optionally a heading (`## Verdict: PASS`);
 * - the hidden marker `<!-- flowgate:verdict pass -->` (or `fail`).
 *
 * When several appear, the last one wins. When there is none, the last non-empty line counts if it is exactly
 * `PASS` or `FAIL`, optionally bold (`**PASS**`). Lines inside fenced code blocks (``` or ~~~, an unclosed one
 * runs to the end) never count, nor do quoted (`>`), list or indented-code lines, nor words inside a sentence.
 */
export function parseVerdict(text: string): Verdict | undefined {
  const markers = findMarkers(text.split('\n')).markers;
  const last = markers.at(-1);
  return last === undefined ? undefined : (last.word.toLowerCase() as Verdict);
}

/**
 * The text with its verdict set to `verdict`, for the human override `/approve --complete|--revise`: every
 * marker line that {@link parseVerdict} reads is rewritten in place, keeping its style and letter case; when
 * there is none, a bold verdict line and the hidden marker are appended (closing an unclosed code fence first).
 * `parseVerdict(rewriteVerdict(text, v)) === v` for every text.
 */
export function rewriteVerdict(text: string, verdict: Verdict): string {
  const lines = text.split('\n');
  const { markers } = findMarkers(lines);
  if (markers.length > 0) {
    for (const m of markers) lines[m.line] = `${m.before}${inCaseOf(m.word, verdict)}${m.after}`;
    return lines.join('\n');
  }
  const base = text.replace(/[ \t\r\n]+$/, '');
  const { openFence } = findMarkers(base.split('\n'));
  const closed = openFence === undefined ? base : `${base}\n${openFence}`;
  const appended = `**Verdict:** ${verdict.toUpperCase()}\n${hiddenVerdictMarker(verdict)}`;
  return closed === '' ? appended : `${closed}\n\n${appended}`;
}

/** The hidden marker that states a verdict without showing it. */
export function hiddenVerdictMarker(verdict: Verdict): string {
  return `<!-- flowgate:verdict ${verdict} -->`;
}

const BOLD = String.raw`(?:\*\*|__)?`;
/** `before` and `after` keep everything around the word, so a rewrite keeps the line's style. */
const VERDICT_LINE = new RegExp(
  String.raw`^( {0,3}(?:#{1,6}[ \t]+)?${BOLD}verdict${BOLD}[ \t]*:[ \t]*${BOLD}[ \t]*)(pass|fail)(${BOLD}[.!]?${BOLD}[ \t]*${BOLD}[ \t]*)$`,
  'i',
);
const HIDDEN_MARKER = /^( {0,3}<!--[ \t]*flowgate:verdict[ \t]+)(pass|fail)([ \t]*-->[ \t]*)$/i;
const BARE_LINE = new RegExp(
  String.raw`^( {0,3}${BOLD}[ \t]*)(pass|fail)([.!]?[ \t]*${BOLD}[.!]?[ \t]*)$`,
  'i',
);
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

interface Marker {
  line: number;
  before: string;
  word: string;
  /** The rest of the line, including a trailing `\r`. */
  after: string;
}

/** The marker lines outside code fences, and the fence left open at the end (to close it before appending). */
function findMarkers(lines: readonly string[]): { markers: Marker[]; openFence: string | undefined } {
  const markers: Marker[] = [];
  let fence: string | undefined;
  let lastText: { line: number; inCode: boolean } | undefined;
  lines.forEach((raw, line) => {
    const cr = raw.endsWith('\r') ? '\r' : '';
    const content = cr === '' ? raw : raw.slice(0, -1);
    const inCode = fence !== undefined;
    if (/\S/.test(content)) lastText = { line, inCode };
    const f = FENCE.exec(content);
    if (fence !== undefined) {
      if (f?.[1] !== undefined && closes(fence, f[1], f[2] ?? '')) fence = undefined;
      return;
    }
    if (f?.[1] !== undefined && !(f[1].startsWith('`') && (f[2] ?? '').includes('`'))) {
      fence = f[1];
      if (lastText?.line === line) lastText.inCode = true;
      return;
    }
    const m = VERDICT_LINE.exec(content) ?? HIDDEN_MARKER.exec(content);
    if (m !== null) markers.push(marker(line, m, cr));
  });
  if (markers.length === 0 && lastText !== undefined && !lastText.inCode) {
    const raw = lines[lastText.line] ?? '';
    const cr = raw.endsWith('\r') ? '\r' : '';
    const m = BARE_LINE.exec(cr === '' ? raw : raw.slice(0, -1));
    if (m !== null) markers.push(marker(lastText.line, m, cr));
  }
  return { markers, openFence: fence };
}

function closes(open: string, candidate: string, rest: string): boolean {
  return candidate[0] === open[0] && candidate.length >= open.length && /^[ \t]*$/.test(rest);
}

function marker(line: number, m: RegExpExecArray, cr: string): Marker {
  return { line, before: m[1] ?? '', word: m[2] ?? '', after: `${m[3] ?? ''}${cr}` };
}

/** `verdict` written in the letter case of `word`: PASS, Pass or pass. */
function inCaseOf(word: string, verdict: Verdict): string {
  if (word === word.toLowerCase()) return verdict;
  if (word.slice(1) === word.slice(1).toLowerCase()) return verdict[0]?.toUpperCase() + verdict.slice(1);
  return verdict.toUpperCase();
}
