import type { Command, SubmitCommand } from './command.ts';
import { badArguments, type LineResult } from './line-result.ts';

/** How to hand in content, as replies and the help say it. */
export const SUBMIT_USAGE = '/submit <content>';

/**
 * A `/submit` line with its content: the text after the command word on its line, then every line below it to the
 * end of the comment as written (code blocks, quotes and lists included; none of them is read as a command), with
 * the blank lines at both ends taken off. Empty content is a problem to explain. Pure.
 */
export function submitContent(command: SubmitCommand, body: string): LineResult {
  const below = body.replace(/\r\n?/g, '\n').split('\n').slice(command.line);
  const text = [command.text, ...below]
    .join('\n')
    .replace(/^(?:[ \t]*\n)+/, '')
    .trimEnd();
  if (text.trim() === '') {
    return badArguments(
      command,
      'submit',
      `the content is missing: write it after \`/submit\`, on the same line or the lines below it (${SUBMIT_USAGE})`,
    );
  }
  return { command: { ...command, text } };
}

/** The content a comment hands in with `/submit`, or undefined when it holds none. */
export function submittedText(commands: readonly Command[]): string | undefined {
  const submit = commands.find((c) => c.kind === 'submit');
  return submit?.kind === 'submit' ? submit.text : undefined;
}
