import type { Stage } from './workflow.ts';

/** The most characters of a question a model or an AI approver may ask people (longer ones are cut). */
export const MAX_QUESTION_CHARS = 1_000;

/**
 * Whether a model may ask people instead of deciding, at this point of a stage: only where the gate it works
 * under sets `ask_human` guidance. The stage's model (`as: 'model'`) may ask while answering an `ai` stage (its
 * response gate's `ask_human`); the gate's AI approver (`as: 'approver'`) may ask while judging the step it gates.
 * Pure.
 */
export function askHumanOffered(
  stage: Stage,
  as: 'model' | 'approver',
  step: 'prompt' | 'response',
): boolean {
  const gate = step === 'prompt' ? stage.prompt_gate : stage.gate;
  const guided = gate.ask_human !== undefined && gate.ask_human.trim() !== '';
  if (!guided) return false;
  if (as === 'model') return step === 'response' && stage.mode === 'ai';
  return gate.approver.startsWith('ai:');
}

/** The label of the line a model asks with: `Ask a human: <question>`. */
export const ASK_HUMAN_LABEL = 'Ask a human';

const BOLD = String.raw`(?:\*\*|__)?`;
/** `Ask a human: ...`, `**Ask a human:** ...`, `**Ask a human**: ...`, any letter case. */
const ASK_LINE = new RegExp(
  String.raw`^ {0,3}${BOLD}ask a human${BOLD}[ \t]*:[ \t]*${BOLD}[ \t]*(\S.*)$`,
  'i',
);
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The question a response asks people, or undefined when it asks none. A response asks only with its last
 * non-empty line, outside any code fence, reading `Ask a human: <question>` (the label may be bold); a line like
 * it anywhere else (quoted, in code, followed by more text) is part of the answer. The question is trimmed and cut
 * to `MAX_QUESTION_CHARS`. Pure.
 */
export function parseAskHuman(text: string): string | undefined {
  let fence: string | undefined;
  let last: { line: string; inCode: boolean } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const f = FENCE.exec(line);
    const inCode = fence !== undefined || f !== null;
    if (/\S/.test(line)) last = { line, inCode };
    if (f?.[1] === undefined) continue;
    if (fence === undefined) fence = f[1];
    else if (f[1][0] === fence[0] && f[1].length >= fence.length) fence = undefined;
  }
  if (last === undefined || last.inCode || fence !== undefined) return undefined;
  const m = ASK_LINE.exec(last.line);
  const question = m?.[1]?.replace(/(?:\*\*|__)\s*$/, '').trim();
  return question === undefined || question === '' ? undefined : cutQuestion(question);
}

/** A question cut to `MAX_QUESTION_CHARS` (never half a surrogate pair), saying it was cut. Pure. */
export function cutQuestion(question: string): string {
  const text = question.trim();
  if (text.length <= MAX_QUESTION_CHARS) return text;
  const note = ' … [cut]';
  let keep = MAX_QUESTION_CHARS - note.length;
  const code = text.charCodeAt(keep - 1);
  if (code >= 0xd800 && code <= 0xdbff) keep--;
  return `${text.slice(0, keep).trimEnd()}${note}`;
}
