import { suggest } from '../suggest.ts';
import { argumentText, splitWords, wordSpans } from './argument-text.ts';
import type { ApproveCommand, CommandSource } from './command.ts';
import { badArguments, type LineResult, optionName, quoted } from './line-result.ts';

const OVERRIDES = { '--complete': 'complete', '--revise': 'revise' } as const;
const OPTIONS = Object.keys(OVERRIDES);

/** `/approve [--complete | --revise] [note]`: options first, then the note. */
export function parseApprove(source: CommandSource, args: string): LineResult {
  const given: string[] = [];
  let override: ApproveCommand['override'];
  let rest = '';
  for (const { word, start } of wordSpans(args)) {
    const option = optionName(word, OPTIONS);
    if (option === undefined) {
      rest = args.slice(start);
      break;
    }
    if (!isOverride(option)) {
      const hit = suggest(option, OPTIONS);
      const mean = hit === undefined ? '' : ` (did you mean "${hit}"?)`;
      const fixed =
        hit === undefined ? undefined : approveLine([...given, hit], args.slice(start + word.length));
      const message = `unknown option ${quoted(word)}: /approve takes --complete or --revise${mean}`;
      return badArguments(source, 'approve', message, fixed);
    }
    if (override !== undefined && override !== OVERRIDES[option]) {
      return badArguments(source, 'approve', '/approve takes --complete or --revise, not both');
    }
    override = OVERRIDES[option];
    given.push(option);
  }
  // `/approve looks good --complete` would otherwise approve without the override the user asked for.
  const words = splitWords(rest);
  const late = words.findIndex((word) => isOverride(optionName(word, OPTIONS)));
  if (late !== -1) {
    const option = optionName(words[late] ?? '', OPTIONS) ?? '';
    const fixed = approveLine([...given, option], words.filter((_, i) => i !== late).join(' '));
    return badArguments(source, 'approve', `put options before the note: ${fixed}`, fixed);
  }
  const command: ApproveCommand = { kind: 'approve', line: source.line, raw: source.raw };
  const note = argumentText(rest);
  if (note !== '') command.note = note;
  if (override !== undefined) command.override = override;
  return { command };
}

function approveLine(options: readonly string[], note: string): string {
  return ['/approve', ...options, note.trim()].filter((part) => part !== '').join(' ');
}

function isOverride(option: string | undefined): option is keyof typeof OVERRIDES {
  return option !== undefined && Object.hasOwn(OVERRIDES, option);
}
