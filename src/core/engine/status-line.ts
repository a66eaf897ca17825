import { inertWithCutNote } from '../markdown/inert-with-cut-note.ts';
import type { RunState } from '../state/run-state.ts';
import { stageById, type Workflow } from '../workflow.ts';
import { describeWaitedConditions, waitedConditions } from './waited-conditions.ts';

/** One sentence on where a run is, for `/status` and refusals; the reasons people gave are shown as text only. */
export function statusLine(workflow: Workflow, state: RunState): string {
  const rec = state.stages[state.stage];
  const attempt = rec === undefined || rec.attempt <= 1 ? '' : `, attempt ${rec.attempt}`;
  const tokens = state.usage.tokens_in + state.usage.tokens_out;
  const used = ` Used ${tokens} tokens, $${state.usage.cost_usd.toFixed(4)}.`;
  const where = `stage "${state.stage}"${attempt}`;
  const wait = state.wait;
  switch (state.status) {
    case 'running':
      if (wait?.for === 'delay')
        return `\`${workflow.name}\` waits until ${wait.until} to move to "${wait.to}".${used}`;
      if (wait?.for === 'condition') {
        const stage = stageById(workflow, state.stage);
        const conditions = stage === undefined ? [] : waitedConditions(stage);
        return `\`${workflow.name}\` waits at ${where} for a transition condition to hold: ${describeWaitedConditions(conditions)}. It is checked again on every event on this ${state.subject.kind === 'pull_request' ? 'pull request' : 'issue'} (a label added or removed, a comment); \`/flowgate goto <stage>\` moves the run by hand.${used}`;
      }
      return `\`${workflow.name}\` is running ${where}.${used}`;
    case 'awaiting_approval': {
      const what =
        wait?.for === 'content'
          ? 'content'
          : wait?.for === 'answer'
            ? `an answer to the question of the ${wait.from === 'model' ? 'model' : 'AI approver'} (\`/answer <text>\`)`
            : `approval of the ${wait?.for === 'approval' ? wait.step : 'output'}`;
      const how = wait?.for === 'content' ? ' (`/submit <content>` hands it in)' : '';
      return `\`${workflow.name}\` waits for ${what} at ${where}${how}${verdictNote(state)}.${used}`;
    }
    case 'paused':
      return `\`${workflow.name}\` is paused at ${where}: ${sentence(inertWithCutNote(state.resume?.reason ?? 'paused'))}${used}`;
    case 'failed':
      return `\`${workflow.name}\` failed at ${where}: ${sentence(inertWithCutNote(state.last_error ?? 'unknown error'))}${used}`;
    default:
      return `\`${workflow.name}\` is ${state.status} (last stage "${state.stage}").${used}`;
  }
}

/** ` (verdict FAIL, edited by @x)`: the verdict that counts, when a person set it by editing the output. */
function verdictNote(state: RunState): string {
  const output = state.stages[state.stage]?.output;
  if (output?.verdict === undefined || output.verdict_by === undefined) return '';
  return ` (verdict ${output.verdict.toUpperCase()}, edited by @${output.verdict_by})`;
}

/** Ends a clause with one full stop, whatever punctuation it already has. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`;
}
