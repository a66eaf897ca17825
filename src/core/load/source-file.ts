import { type Document, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostic.ts';

/** One YAML file as read: its text, its parsed document and what turns offsets into lines. */
export interface SourceFile {
  name: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseSourceFile(name: string, text: string): { file: SourceFile; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const file: SourceFile = { name, text, doc, lines };
  const diagnostics: Diagnostic[] = [];
  for (const problem of [...doc.errors, ...doc.warnings]) {
    const offset = problem.pos[0];
    const { line, col } = lines.linePos(offset);
    diagnostics.push({
      severity: doc.errors.includes(problem as never) ? 'error' : 'warning',
      file: name,
      line,
      col,
      message: yamlMessage(problem.code, problem.message),
      path: '',
      rule: 'yaml',
      sourceLine: sourceLine(text, line),
    });
  }
  return { file, diagnostics };
}

export function sourceLine(text: string, line: number): string {
  return (text.split(/\r?\n/)[line - 1] ?? '').replace(/\s+$/, '');
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'this key appears twice in the same mapping; YAML keeps neither safely',
  BAD_INDENT: 'the indentation does not line up with the lines around it',
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation; use spaces',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  MULTIPLE_DOCS: 'a workflow file holds one YAML document; remove the extra `---`',
};

function yamlMessage(code: string, raw: string): string {
  const firstLine = raw.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? raw;
  const plain = YAML_MESSAGES[code];
  return plain === undefined ? `YAML syntax: ${firstLine}` : `YAML syntax: ${plain}`;
}
