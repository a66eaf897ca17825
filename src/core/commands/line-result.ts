import type { Command, CommandKind, CommandProblem, CommandSource } from './command.ts';

/** What one line of a comment says: a command, a problem to explain, or nothing for flowgate. */
export type LineResult = { command: Command } | { problem: CommandProblem } | undefined;

/** A known command whose arguments do not fit; `suggestion` is the line as it would have worked, when known. */
export function badArguments(
  source: CommandSource,
  command: CommandKind,
  message: string,
  suggestion?: string,
): LineResult {
  const problem: CommandProblem = {
    kind: 'bad-arguments',
    command,
    line: source.line,
    raw: source.raw,
    message,
  };
  if (suggestion !== undefined) problem.suggestion = suggestion;
  return { problem };
}

/**
 * The lower-case option a word names (`--Complete` → `--complete`), or undefined when the word is no option. Macs and
 * phones turn `--` into a dash as you type, so `—complete` counts too, but only for a known option: a note may
 * start with a dash.
 */
export function optionName(word: string, known: readonly string[]): string | undefined {
  if (/^--\p{L}/u.test(word)) return word.toLowerCase();
  if (/^[\u2013\u2014]\p{L}/u.test(word)) {
    const name = `--${word.slice(1).toLowerCase()}`;
    return known.includes(name) ? name : undefined;
  }
  return undefined;
}

/** A word from the comment, in double quotes for a message, cut short so a reply never echoes a wall of text. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}\u2026` : text);
}
