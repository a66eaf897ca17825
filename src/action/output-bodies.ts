import { defuseOutputMarkers, formatActionOutput, formatActionOutputParts } from '../core/action-output.ts';
import { cutQuestion } from '../core/ask-human.ts';
import { questionQuote } from '../core/render/question-quote.ts';
import type { DispatchInputs } from './inputs.ts';
import type { StepResult } from './step-context.ts';

/** Longest feedback an approver output carries (it is in the visible text and in the marker). */
export const MAX_FEEDBACK_CHARS = 20_000;
/** Longest error a failure output carries. */
export const MAX_ERROR_CHARS = 8_000;

/**
 * The output comment bodies of a step's result (several for a long prompt or response, one per part), each with
 * its marker. `clean` runs over every text before it is posted (secrets redacted); then any flowgate marker the
 * text holds is defused, so a model's answer can never pose as an output, a status or a reply. Pure.
 */
export function outputBodies(
  dispatch: DispatchInputs,
  result: Exclude<StepResult, { kind: 'stale' }>,
  clean: (text: string) => string,
): string[] {
  const base = {
    run: dispatch.runId,
    stage: dispatch.stage,
    attempt: dispatch.attempt,
    nonce: dispatch.nonce,
  };
  switch (result.kind) {
    case 'prompt':
      return formatActionOutputParts({ kind: 'prompt', ...base }, safe(clean(result.text)));
    case 'response': {
      const { kind: _kind, text, ask_human, ...facts } = result;
      const asks =
        ask_human === undefined
          ? {}
          : { ask_human: { question: cutQuestion(safe(clean(ask_human.question))) } };
      return formatActionOutputParts({ kind: 'response', ...base, ...facts, ...asks }, safe(clean(text)));
    }
    case 'approver': {
      if (result.decision === 'ask_human' && result.ask_human !== undefined) {
        const question = cutQuestion(safe(clean(result.ask_human.question)));
        const visible = `**AI approver (\`${result.approver}\`): asks a person before deciding.**\n\n${questionQuote(question)}`;
        return [
          formatActionOutput(
            {
              kind: 'approver',
              ...base,
              decision: 'ask_human',
              feedback: '',
              ask_human: { question },
              usage: result.usage,
            },
            visible,
          ),
        ];
      }
      const feedback = cut(safe(clean(result.feedback)), MAX_FEEDBACK_CHARS);
      const said = feedback.trim() === '' ? '' : ` ${feedback}`;
      const visible = `**AI approver (\`${result.approver}\`): ${result.decision}.**${said}`;
      return [
        formatActionOutput(
          { kind: 'approver', ...base, decision: result.decision, feedback, usage: result.usage },
          visible,
        ),
      ];
    }
  }
}

/** The failure output of a dispatch: what went wrong, and the Actions run to look at. Pure. */
export function failureBody(dispatch: DispatchInputs, error: string, url: string | undefined): string {
  const text = cut(
    safe(error.trim() === '' ? 'the Action failed without saying why' : error),
    MAX_ERROR_CHARS,
  );
  const where = url === undefined ? '' : `\n\nSee ${url}.`;
  const visible = `flowgate could not run stage \`${dispatch.stage}\` (attempt ${dispatch.attempt}, step ${dispatch.step}): ${text}${where}`;
  return formatActionOutput(
    {
      kind: 'failure',
      run: dispatch.runId,
      stage: dispatch.stage,
      attempt: dispatch.attempt,
      nonce: dispatch.nonce,
      error: text,
      ...(url === undefined ? {} : { url }),
    },
    visible,
  );
}

/** Every opening of a flowgate marker broken by a zero-width space: output, status, state and reply markers. */
export function defuseMarkers(text: string): string {
  return defuseOutputMarkers(text).replace(/(<!--\s*flowgate)(:(?:status|state|reply)\b)/gi, '$1\u200b$2');
}

function safe(text: string): string {
  return defuseMarkers(text);
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = ` … (cut at ${max.toLocaleString('en-US')} characters)`;
  let end = max - note.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}${note}`;
}
