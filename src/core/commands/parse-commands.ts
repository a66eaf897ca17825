import type { ParsedComment } from './command.ts';
import { parseCommandLine } from './parse-command-line.ts';
import { visibleLines } from './visible-lines.ts';

/**
 * The commands in a comment, one per line, in order, and the lines that look meant for flowgate but cannot be
 * followed. Text a reader does not see as plain text (code, quotes, HTML comments) holds no commands.
 */
export function parseCommands(body: string): ParsedComment {
  const parsed: ParsedComment = { commands: [], problems: [] };
  for (const { line, raw, text } of visibleLines(body)) {
    const result = parseCommandLine({ line, raw }, text);
    if (result === undefined) continue;
    if ('command' in result) parsed.commands.push(result.command);
    else parsed.problems.push(result.problem);
  }
  return parsed;
}
