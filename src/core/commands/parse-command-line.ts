import damerauLevenshtein from 'damerau-levenshtein';
import { suggest } from '../suggest.ts';
import { argumentText, INVISIBLE, splitFirstWord } from './argument-text.ts';
import { COMMAND_NAMES, type CommandName, type CommandSource, type PlainCommand } from './command.ts';
import { badArguments, type LineResult, quoted } from './line-result.ts';
import { parseApprove } from './parse-approve.ts';
import { parseFlowgate } from './parse-flowgate.ts';

/**
 * A slash at the start of the line, after at most 3 spaces, with a word right after it (`/ approve` is no command).
 * Lookalike slashes (`／`, `∕`, `⁄`, `⧸`) are not a slash.
 */
const SLASH_COMMAND = /^ {0,3}\/(?=\S)(.*)$/su;

/** What one visible line of a comment says. `text` is the line without HTML comments. */
export function parseCommandLine(source: CommandSource, text: string): LineResult {
  const match = SLASH_COMMAND.exec(text);
  if (match === null) return undefined;
  const [written, args] = splitFirstWord(match[1] ?? '');
  // Zero-width characters in the command word hide text from the reader: such a line is no command.
  if (INVISIBLE.test(written)) return undefined;
  // `/approve.` and `/cancel!` end a sentence; `/approved` is another word.
  const word = args === '' ? written.replace(/[.!]+$/, '') : written;
  const name = COMMAND_NAMES.find((candidate) => candidate === word.toLowerCase());
  if (name === undefined) return nearMiss(source, written, word, args);
  return parseArguments(name, source, args);
}

function parseArguments(name: CommandName, source: CommandSource, args: string): LineResult {
  const at = { line: source.line, raw: source.raw };
  switch (name) {
    case 'approve':
      return parseApprove(source, args);
    case 'reject': {
      const reason = argumentText(args);
      if (reason === '') return badArguments(source, 'reject', 'a reason is required: /reject <reason>');
      return { command: { kind: 'reject', reason, ...at } };
    }
    case 'retry': {
      const feedback = argumentText(args);
      return { command: feedback === '' ? { kind: 'retry', ...at } : { kind: 'retry', feedback, ...at } };
    }
    case 'submit':
      // The rest of the comment joins this line's text in parseCommands (submit-content.ts).
      return { command: { kind: 'submit', text: args, ...at } };
    case 'answer': {
      const text = argumentText(args);
      if (text === '') return badArguments(source, 'answer', 'the answer is required: /answer <text>');
      return { command: { kind: 'answer', text, ...at } };
    }
    case 'flowgate':
      return parseFlowgate(source, args);
    default: {
      const command: PlainCommand = { kind: name, ...at };
      const note = argumentText(args);
      if (note !== '') command.note = note;
      return { command };
    }
  }
}

/**
 * `/aprove` is a typo of ours and gets an answer; `/assign` belongs to another bot and is left alone. suggest()'s
 * reach is meant for config keys and finds `/reject` in Prow's `/retest`, so a near miss must also be one edit away
 * (`/aprove`, `/stauts`, `/approved`) or start like ours (`/approval`, `/cancelled`).
 */
function nearMiss(source: CommandSource, written: string, word: string, args: string): LineResult {
  if (word.length > 16) return undefined; // far longer than any of ours: never near
  const hit = suggest(word, COMMAND_NAMES);
  if (hit === undefined) return undefined;
  const lower = word.toLowerCase();
  if (damerauLevenshtein(lower, hit).steps > 1 && !lower.startsWith(hit.slice(0, 3))) return undefined;
  return {
    problem: {
      kind: 'near-miss',
      word: written,
      line: source.line,
      raw: source.raw,
      message: `${quoted(`/${written}`)} is not a flowgate command (did you mean "/${hit}"?)`,
      suggestion: [`/${hit}`, args].filter(Boolean).join(' '),
    },
  };
}
