import type { ParsedComment } from './command.ts';
import { parseCommandLine } from './parse-command-line.ts';
import { submitContent } from './submit-content.ts';
import { visibleLines } from './visible-lines.ts';

/**
 * The commands in a comment, one per line, in order, and the lines that look meant for flowgate but cannot be
 * followed. Text a reader does not see as plain text (code, quotes, HTML comments) holds no commands. A `/submit`
 * takes the rest of the comment as its content, so no line after it is read as a command.
 */
export function parseCommands(body: string): ParsedComment {
  const parsed: ParsedComment = { commands: [], problems: [] };
  for (const { line, raw, text } of visibleLines(body)) {
    let result = parseCommandLine({ line, raw }, text);
    if (result === undefined) continue;
    const submit = 'command' in result && result.command.kind === 'submit' ? result.command : undefined;
    if (submit !== undefined) result = submitContent(submit, body);
    if (result === undefined) continue;
    if ('command' in result) parsed.commands.push(result.command);
    else parsed.problems.push(result.problem);
    if (submit !== undefined) break;
  }
  return parsed;
}
