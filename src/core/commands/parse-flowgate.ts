import { suggest } from '../suggest.ts';
import { argumentText, INVISIBLE, splitFirstWord, splitWords } from './argument-text.ts';
import {
  type CommandSource,
  FLOWGATE_SUBCOMMANDS,
  type GotoCommand,
  type HelpCommand,
  type StartCommand,
} from './command.ts';
import { badArguments, type LineResult, optionName, quoted } from './line-result.ts';

const START_USAGE = '/flowgate start <workflow> [--at <entry stage>]';
const GOTO_USAGE = '/flowgate goto <stage> [--force]';

/** `/flowgate [start <workflow> | goto <stage> [--force] | help [topic]]`; `/flowgate` alone asks for help. */
export function parseFlowgate(source: CommandSource, args: string): LineResult {
  const [written, rest] = splitFirstWord(args);
  if (INVISIBLE.test(written)) return undefined;
  const word = rest === '' ? written.replace(/[.!]+$/, '') : written;
  switch (word.toLowerCase()) {
    case '':
    case 'help':
      return help(source, rest);
    case 'start':
      return start(source, rest);
    case 'goto':
      return goto(source, rest);
    default:
      return unknownSubcommand(source, written, word, rest);
  }
}

function help(source: CommandSource, rest: string): LineResult {
  const command: HelpCommand = { kind: 'help', line: source.line, raw: source.raw };
  const topic = argumentText(rest);
  if (topic !== '') command.topic = topic;
  return { command };
}

function start(source: CommandSource, rest: string): LineResult {
  const words: string[] = [];
  let at: string | undefined;
  const given = names(rest);
  for (let i = 0; i < given.length; i++) {
    const word = given[i] ?? '';
    const option = optionName(word, ['--at'])?.split('=')[0];
    if (option === undefined) words.push(word);
    else if (option === '--at') {
      const inline = word.includes('=') ? word.slice(word.indexOf('=') + 1) : undefined;
      const stage = inline ?? given[++i];
      if (stage === undefined || stage === '' || optionName(stage, []) !== undefined)
        return badArguments(source, 'start', `--at needs the entry stage to start at: ${START_USAGE}`);
      at = stage;
    } else {
      const mean = suggest(option, ['--at']) === undefined ? '' : ' (did you mean "--at"?)';
      return badArguments(source, 'start', `unknown option ${quoted(word)}: ${START_USAGE}${mean}`);
    }
  }
  const [workflow, ...extra] = words;
  if (workflow === undefined) return badArguments(source, 'start', `a workflow is required: ${START_USAGE}`);
  if (extra.length > 0) {
    const message = `one workflow at a time, ${quoted(extra.join(' '))} is too much: ${START_USAGE}`;
    return badArguments(source, 'start', message, `/flowgate start ${workflow}`);
  }
  const command: StartCommand = { kind: 'start', workflow, line: source.line, raw: source.raw };
  if (at !== undefined) command.at = at;
  return { command };
}

function goto(source: CommandSource, rest: string): LineResult {
  let force = false;
  const stages: string[] = [];
  for (const word of names(rest)) {
    const option = optionName(word, ['--force']);
    if (option === '--force') force = true;
    else if (option === undefined) stages.push(word);
    else {
      const mean = suggest(option, ['--force']) === undefined ? '' : ' (did you mean "--force"?)';
      return badArguments(source, 'goto', `unknown option ${quoted(word)}: ${GOTO_USAGE}${mean}`);
    }
  }
  const [stage, ...extra] = stages;
  if (stage === undefined) return badArguments(source, 'goto', `a stage is required: ${GOTO_USAGE}`);
  if (extra.length > 0) {
    const message = `one stage at a time, ${quoted(extra.join(' '))} is too much: ${GOTO_USAGE}`;
    return badArguments(source, 'goto', message, `/flowgate goto ${stage}${force ? ' --force' : ''}`);
  }
  const command: GotoCommand = { kind: 'goto', stage, force, line: source.line, raw: source.raw };
  return { command };
}

function unknownSubcommand(source: CommandSource, written: string, word: string, rest: string): LineResult {
  const hit = suggest(word, FLOWGATE_SUBCOMMANDS);
  const mean = hit === undefined ? '' : ` (did you mean "/flowgate ${hit}"?)`;
  const message =
    `${quoted(`/flowgate ${written}`)} is not a command: use /flowgate start <workflow>, ` +
    `/flowgate goto <stage> or /flowgate help${mean}`;
  const problem = {
    kind: 'unknown-subcommand' as const,
    subcommand: written,
    line: source.line,
    raw: source.raw,
  };
  if (hit === undefined) return { problem: { ...problem, message } };
  return { problem: { ...problem, message, suggestion: ['/flowgate', hit, rest].filter(Boolean).join(' ') } };
}

/** Workflow and stage names: words without invisible characters, a quoted name unquoted. */
function names(text: string): string[] {
  return splitWords(text)
    .map(argumentText)
    .filter((word) => word !== '');
}
