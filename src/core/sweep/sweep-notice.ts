import { escapeMarkdownCell } from '../render/escape.ts';
import { formatCost, formatCount } from '../render/format.ts';
import type { Approvers } from '../schema/gate.ts';
import type { Workflow } from '../workflow.ts';
import { itemList } from './dashboard-sections.ts';
import { sweepCounts } from './summarize-sweep.ts';
import type { SweepState } from './sweep-state.ts';

/** The notice of a sweep's end, to post once on the dashboard. */
export interface SweepNotice {
  /** Names the end: `<sweep id> <status> <finished_at>`; the shell posts at most one notice per key. */
  key: string;
  /** Markdown: what the sweep did, what is left for people, and the mentions. */
  body: string;
}

/**
 * The completion or failure notice of the current sweep, once it has ended (completed, failed, or stopped by its
 * budget), unless the state says it was posted for this end (`notified`); undefined otherwise. It mentions the
 * workflow's approvers (`defaults.approvers`: users and teams) and those of the gates where items wait for
 * people, so that the people who act next hear of it. A sweep resumed after a failure that ends again has a new
 * end, and a new notice. Names come from the workflow file (trusted); reasons are escaped.
 */
export function sweepNotice(workflow: Workflow, state: SweepState): SweepNotice | undefined {
  const sweep = state.current;
  if (sweep === undefined || sweep.finished_at === undefined) return undefined;
  if (sweep.status !== 'completed' && sweep.status !== 'failed' && sweep.status !== 'budget_stopped') {
    return undefined;
  }
  const key = `${sweep.id} ${sweep.status} ${sweep.finished_at}`;
  if (sweep.notified === key) return undefined;
  const counts = sweepCounts(sweep);
  const id = `\`${sweep.id}\``;
  const head =
    sweep.status === 'completed'
      ? `✅ Sweep ${id} completed`
      : sweep.status === 'failed'
        ? `❌ Sweep ${id} failed: ${escapeMarkdownCell(sweep.reason ?? 'an item failed', 300)}`
        : `💰 Sweep ${id} was stopped by its budget: ${escapeMarkdownCell(sweep.reason ?? 'the budget was reached', 300)}`;
  const lines = [
    `${head}. ${formatCount(counts.selected)} items: ${formatCount(counts.completed)} finished, ${formatCount(counts.waiting)} waiting for people, ${formatCount(counts.failed)} failed, ${formatCount(counts.skipped)} skipped; ${formatCount(sweep.spend.tokens)} tokens, ${formatCost(sweep.spend.cost_usd)} spent.`,
  ];
  const approvers: Approvers[] = [workflow.defaults.approvers];
  for (const stage of workflow.stages) {
    const queue = sweep.stages[stage.id];
    if (queue === undefined || queue.waiting.length === 0) continue;
    lines.push(`- waiting at \`${stage.id}\`: ${itemList(queue.waiting, 20)}`);
    approvers.push(stage.gate.approvers, stage.prompt_gate.approvers);
  }
  for (const [stage, queue] of Object.entries(sweep.stages)) {
    if (queue.failed.length === 0) continue;
    lines.push(
      `- failed at \`${stage}\`: ${itemList(
        queue.failed.map((f) => f.item),
        20,
      )} (\`/retry failed ${stage}\` tries them again)`,
    );
  }
  for (const [stage, queue] of Object.entries(sweep.stages)) {
    const held = [...queue.pending, ...queue.started];
    if (held.length === 0 || state.paused_stages?.[stage] === undefined) continue;
    lines.push(
      `- held at paused stage \`${stage}\`: ${itemList(held, 20)} (\`/resume ${stage}\` lets them go on)`,
    );
  }
  if (sweep.status === 'failed') lines.push('', '`/resume` goes on and tries the failed items again.');
  if (sweep.status === 'budget_stopped')
    lines.push('', 'Raise `on.schedule.budget`, then `/resume` goes on.');
  const mentions = [...new Set(approvers.flatMap((a) => [...a.users, ...a.teams]).map((name) => `@${name}`))];
  if (mentions.length > 0) lines.push('', `cc ${mentions.join(' ')}`);
  return { key, body: lines.join('\n') };
}
