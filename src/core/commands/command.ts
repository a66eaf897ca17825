/** The words that may follow `/` at the start of a line, lower case. */
export const COMMAND_NAMES = [
  'approve',
  'reject',
  'retry',
  'submit',
  'answer',
  'status',
  'pause',
  'resume',
  'cancel',
  'flowgate',
] as const;

/** The words that may follow `/flowgate`. */
export const FLOWGATE_SUBCOMMANDS = ['start', 'goto', 'help'] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

/** Where a command or a problem was found: the 1-based line in the comment and that line as written. */
export interface CommandSource {
  line: number;
  raw: string;
}

/** `/approve [note]`, `/approve --complete [note]`, `/approve --revise [note]`. */
export interface ApproveCommand extends CommandSource {
  kind: 'approve';
  note?: string;
  /** Accept the output but set the stage's verdict: `complete` is PASS, `revise` is FAIL. */
  override?: 'complete' | 'revise';
}

/** `/reject <reason>`. */
export interface RejectCommand extends CommandSource {
  kind: 'reject';
  reason: string;
}

/** `/retry [feedback]`. */
export interface RetryCommand extends CommandSource {
  kind: 'retry';
  feedback?: string;
}

/**
 * `/submit <content>`: hands in the content of a manual stage. The content is everything after the command word,
 * on its line and the lines below it to the end of the comment, as written (code blocks and quotes included).
 */
export interface SubmitCommand extends CommandSource {
  kind: 'submit';
  text: string;
}

/** `/answer <text>`: answers the question a model asked people (`ask_human`). */
export interface AnswerCommand extends CommandSource {
  kind: 'answer';
  text: string;
}

/** `/status`, `/pause`, `/resume`, `/cancel`: no arguments; words after them are kept as a note. */
export interface PlainCommand extends CommandSource {
  kind: 'status' | 'pause' | 'resume' | 'cancel';
  note?: string;
}

/** `/flowgate start <workflow> [--at <entry stage>]`. */
export interface StartCommand extends CommandSource {
  kind: 'start';
  workflow: string;
  /** The entry stage to start at (`type: entry`); absent: the workflow's first entry stage. */
  at?: string;
}

/** `/flowgate goto <stage> [--force]`. */
export interface GotoCommand extends CommandSource {
  kind: 'goto';
  stage: string;
  force: boolean;
}

/** `/flowgate help [topic]`, or `/flowgate` alone. */
export interface HelpCommand extends CommandSource {
  kind: 'help';
  topic?: string;
}

export type Command =
  | ApproveCommand
  | RejectCommand
  | RetryCommand
  | SubmitCommand
  | AnswerCommand
  | PlainCommand
  | StartCommand
  | GotoCommand
  | HelpCommand;

export type CommandKind = Command['kind'];

/** A line the bot should answer with an explanation instead of acting on it. */
interface ProblemBase extends CommandSource {
  /** One sentence for the reply, naming the usage that would have worked. */
  message: string;
  /** The line as the user probably meant it, e.g. `/approve looks good` for `/aprove looks good`. */
  suggestion?: string;
}

/** `/aprove`, `/stauts`: close to one of ours. Slash commands far from ours belong to other bots and are ignored. */
export interface NearMissProblem extends ProblemBase {
  kind: 'near-miss';
  /** The word after `/`, as written. */
  word: string;
  suggestion: string;
}

/** `/flowgate <word>` where the word is not a subcommand. */
export interface UnknownSubcommandProblem extends ProblemBase {
  kind: 'unknown-subcommand';
  /** The word after `/flowgate`, as written. */
  subcommand: string;
}

/** A known command with arguments it cannot take: `/reject` without a reason, `/approve --force`. */
export interface BadArgumentsProblem extends ProblemBase {
  kind: 'bad-arguments';
  command: CommandKind;
}

export type CommandProblem = NearMissProblem | UnknownSubcommandProblem | BadArgumentsProblem;

export interface ParsedComment {
  /** In the order they appear in the comment. */
  commands: Command[];
  /** In the order they appear in the comment. */
  problems: CommandProblem[];
}
