import { waitedConditions } from '../engine/waited-conditions.ts';
import type { RunState, RunStatus } from '../state/run-state.ts';
import { stageById, type Workflow } from '../workflow.ts';
import { escapeMarkdownCell } from './escape.ts';
import { formatTime } from './format.ts';

export const STATUS_EMOJI: Record<RunStatus, string> = {
  running: '🔄',
  awaiting_approval: '✋',
  paused: '⏸️',
  failed: '❌',
  cancelled: '🚫',
  completed: '✅',
};

/** The run's status in one line of words, with its emoji: `✋ Waiting for approval of the plan (response)`. */
export function statusHeadline(workflow: Workflow, state: RunState): string {
  return `${STATUS_EMOJI[state.status]} **${statusWords(workflow, state)}**`;
}

function statusWords(workflow: Workflow, state: RunState): string {
  const stage = escapeMarkdownCell(stageById(workflow, state.stage)?.name ?? state.stage);
  const attempt = state.stages[state.stage]?.attempt ?? 0;
  const wait = state.wait;
  switch (state.status) {
    case 'running': {
      const running = attempt > 0 ? `Running: ${stage} (attempt ${attempt})` : `Running: ${stage}`;
      if (wait?.for === 'action' && wait.step === 'approver')
        return `${running}, the AI approver is deciding`;
      if (wait?.for === 'delay') {
        const to = escapeMarkdownCell(stageById(workflow, wait.to)?.name ?? wait.to);
        return `${running}, moving on to ${to} at ${formatTime(wait.until)}`;
      }
      if (wait?.for === 'condition')
        return `Waiting in ${stage} for a condition: ${conditionsWords(workflow, state)}`;
      return running;
    }
    case 'awaiting_approval':
      if (wait?.for === 'approval') return `Waiting for approval of the ${stage} (${wait.step})`;
      if (wait?.for === 'content') return `Waiting for a person to hand in the ${stage} with \`/submit\``;
      if (wait?.for === 'answer')
        return `Waiting for a person to answer the question of the ${wait.from === 'model' ? 'model' : 'AI approver'} (${stage})`;
      return `Waiting for approval of the ${stage}`;
    case 'paused':
      return state.resume === undefined ? 'Paused' : `Paused: ${escapeMarkdownCell(state.resume.reason)}`;
    case 'failed': {
      const error = state.last_error ?? state.stages[state.stage]?.last_error;
      return error === undefined ? `Failed in ${stage}` : `Failed: ${escapeMarkdownCell(error)}`;
    }
    case 'completed': {
      const archive = stageById(workflow, state.stage)?.archive;
      if (archive === undefined || state.completed_at === undefined) return 'Completed';
      const lock = archive.lock ? ' and locked' : '';
      if (archive.after_days === 0) return `Completed; the issue is closed${lock}`;
      const due = new Date(Date.parse(state.completed_at) + archive.after_days * 86_400_000).toISOString();
      return `Completed; the issue is closed${lock} at ${formatTime(due)} unless someone comments before`;
    }
    case 'cancelled':
      return 'Cancelled';
  }
}

/** The conditions a run waits on, as inert text: `'ready' in labels (to Build) or ...`. */
function conditionsWords(workflow: Workflow, state: RunState): string {
  const stage = stageById(workflow, state.stage);
  const conditions = stage === undefined ? [] : waitedConditions(stage);
  return conditions
    .map((c) => {
      const to = escapeMarkdownCell(stageById(workflow, c.to)?.name ?? c.to);
      return `${escapeMarkdownCell(c.when)} (to ${to})`;
    })
    .join(' or ');
}
