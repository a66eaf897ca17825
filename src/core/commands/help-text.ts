import { COMMAND_NAMES } from './command.ts';

export { COMMAND_NAMES };

/** Every form of every command, as a user types it, with what it does. */
export const COMMAND_USAGE: readonly { usage: string; summary: string }[] = [
  { usage: '/approve [note]', summary: 'approve the output waiting at the gate' },
  {
    usage: '/approve --complete [note]',
    summary: 'approve a review and set its verdict to PASS; the note goes to the next stage',
  },
  {
    usage: '/approve --revise [note]',
    summary: 'approve a review and set its verdict to FAIL; the note goes to the next stage',
  },
  { usage: '/reject <reason>', summary: 'reject the output' },
  {
    usage: '/retry [feedback]',
    summary: 'run the stage again, with your feedback (or the reason of the last rejection)',
  },
  {
    usage: '/submit <content>',
    summary:
      'hand in the content a manual stage waits for: everything after `/submit`, the lines below it included (write permission)',
  },
  { usage: '/answer <text>', summary: 'answer the question a model asked, and let it go on' },
  { usage: '/status', summary: 'show where the run is' },
  { usage: '/pause', summary: 'pause the run' },
  { usage: '/resume', summary: 'resume a paused run' },
  { usage: '/cancel', summary: 'cancel the run' },
  {
    usage: '/flowgate start <workflow> [--at <entry stage>]',
    summary: 'start a workflow on this issue or pull request, at its first entry stage or the one named',
  },
  { usage: '/flowgate goto <stage> [--force]', summary: 'move the run to a stage (maintainers)' },
  { usage: '/flowgate help', summary: 'show this list' },
];

/** The bot's answer to `/flowgate help`: one Markdown list item per command form. */
export function helpText(): string {
  const items = COMMAND_USAGE.map(({ usage, summary }) => `- \`${usage}\`: ${summary}`);
  return [
    '**flowgate commands**, one per line at the start of a new comment:',
    '',
    ...items,
    '',
    'Commands in quotes, code blocks and edited comments are ignored.',
  ].join('\n');
}
