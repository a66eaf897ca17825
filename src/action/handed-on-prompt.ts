import { fenceData } from '../core/render/fence-data.ts';
import { sanitizeUntrusted } from './sanitize-untrusted.ts';

export interface HandedOnParams {
  /** The prompt of this attempt. */
  prompt: string;
  /** The note of the person who overrode the earlier stage's verdict (`/approve --revise|--complete <note>`). */
  note: string;
  /** The stage whose verdict was overridden. */
  from: string;
}

/**
 * The prompt of a stage entered after a person overrode the verdict of stage `from` with a note: the prompt, then
 * the note (sanitised and fenced as data, like any feedback), labelled as what the person said about that stage's
 * output. Unlike a retry, nothing of this stage was rejected. Pure.
 */
export function handedOnPrompt({ prompt, note, from }: HandedOnParams): string {
  const said = sanitizeUntrusted(note);
  if (said.trim() === '') return prompt;
  return [
    prompt.replace(/\s+$/, ''),
    '---',
    `The person who approved the output of stage "${from}" overrode its verdict and left this note for this stage:`,
    fenceData('feedback', said),
    'Take the note into account in your answer.',
  ].join('\n\n');
}
