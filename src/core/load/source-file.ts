import {
  type Document,
  isCollection,
  isScalar,
  LineCounter,
  parseDocument,
  visit,
  type YAMLError,
} from 'yaml';
import type { Diagnostic } from '../diagnostic.ts';

/** One YAML file as read: its text, its parsed document and what turns offsets into lines. */
export interface SourceFile {
  name: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseSourceFile(name: string, text: string): { file: SourceFile; diagnostics: Diagnostic[] } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  // Lines are counted from the text itself: the parser's own count skips lines inside a part it cannot read.
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
  const file: SourceFile = { name, text, doc, lines };
  const diagnostics: Diagnostic[] = [];
  for (const problem of [...doc.errors, ...doc.warnings]) {
    const { offset, message } = explain(problem, doc, text);
    const { line, col } = lines.linePos(offset);
    // One mistake often trips several parser errors on the same line; the first says it best.
    if (diagnostics.some((d) => d.line === line)) continue;
    diagnostics.push({
      severity: doc.errors.includes(problem as never) ? 'error' : 'warning',
      file: name,
      line,
      col,
      message: `YAML syntax: ${message}`,
      path: '',
      rule: 'yaml',
      sourceLine: sourceLine(text, line),
    });
  }
  return { file, diagnostics };
}

/**
 * The file's content as plain values, or why it has none: an alias with no anchor before it, or aliases that
 * expand too far (the parser finds both only here). Such a finding points at the alias.
 */
export function contentOf(file: SourceFile): { value: unknown } | { diagnostic: Diagnostic } {
  try {
    return { value: file.doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec(text)?.[1];
    let offset = 0;
    visit(file.doc, {
      Alias(_key, node) {
        if (unresolved !== undefined && node.source !== unresolved) return undefined;
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const message =
      unresolved === undefined
        ? 'YAML syntax: the aliases (*name) in this file expand to too much data'
        : `YAML syntax: the alias *${unresolved} refers to no anchor &${unresolved} set before it`;
    const { line, col } = file.lines.linePos(offset);
    return {
      diagnostic: {
        severity: 'error',
        file: file.name,
        line,
        col,
        message,
        path: '',
        rule: 'yaml',
        sourceLine: sourceLine(file.text, line),
      },
    };
  }
}

export function sourceLine(text: string, line: number): string {
  return (text.split(/\r?\n/)[line - 1] ?? '').replace(/\s+$/, '');
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'this key is already set earlier in the same mapping; keep only one',
  BAD_INDENT: 'the indentation does not line up with the lines around it',
  TAB_AS_INDENT: 'tabs are not allowed for indentation; use spaces',
  MULTIPLE_DOCS: 'a workflow file holds one YAML document; remove the extra `---`',
  BLOCK_AS_IMPLICIT_KEY:
    'YAML reads a nested "key: value" here: quote the value if it contains ": ", or check the indentation of the next line',
};

/**
 * A plain-words message for a YAML problem, and where to point. Problems the parser only notices at the end
 * (a quote or bracket never closed) are pointed at the opening character, where the mistake is.
 */
function explain(
  problem: YAMLError,
  doc: Document.Parsed,
  text: string,
): { offset: number; message: string } {
  // A problem found at the very end of the file is shown on its last line, not on the empty line after it;
  // one found at the start of an indented line is shown where its text begins.
  let offset = Math.min(problem.pos[0], text.trimEnd().length);
  while (text[offset] === ' ') offset++;
  const raw = problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? problem.message;
  const quote = /^Missing closing (["'])quote/.exec(raw)?.[1];
  if (quote !== undefined) {
    const type = quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
    const open = openerOf(doc, problem.pos[0], (node) => isScalar(node) && node.type === type);
    return { offset: open ?? offset, message: `a ${quote} quote is opened but never closed` };
  }
  const flow = /^Flow (sequence|map) in block collection/.exec(raw)?.[1];
  if (flow !== undefined) {
    const [open, close] = flow === 'sequence' ? ['[', ']'] : ['{', '}'];
    const at = openerOf(doc, problem.pos[0], (node) => isCollection(node) && node.flow === true);
    return {
      offset: at ?? offset,
      message: `a ${open} is opened but never closed with ${close} (or a line inside it is not indented past its key)`,
    };
  }
  if (raw === 'Sequence item without - indicator') {
    return {
      offset,
      message:
        'this line does not line up with the fields of the list item above; indent it like them, or start a new item with "- "',
    };
  }
  if (/alias/i.test(raw) && /:\s+\*/.test(lineAt(text, problem.pos[0]))) {
    const lineStart = text.lastIndexOf('\n', problem.pos[0] - 1) + 1;
    const star = text.indexOf('*', lineStart);
    return {
      offset: star >= 0 ? star : offset,
      message:
        'a value that starts with * is read as a YAML alias; put it in quotes, e.g. cron: "*/5 * * * *"',
    };
  }
  const plain = YAML_MESSAGES[problem.code];
  return { offset, message: plain ?? raw };
}

function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? undefined : end);
}

/** The start of the innermost node of the wanted kind that runs up to `offset`: the opening quote or bracket. */
function openerOf(
  doc: Document.Parsed,
  offset: number,
  wanted: (node: unknown) => boolean,
): number | undefined {
  let best: number | undefined;
  visit(doc, (_key, node) => {
    // Pairs with a missing key or value are visited with null.
    const range = (node as { range?: [number, number, number] | null } | null)?.range;
    if (!wanted(node) || range === undefined || range === null) return;
    if (range[0] < offset && offset <= range[1] && (best === undefined || range[0] > best)) best = range[0];
  });
  return best;
}
