import { workflowToMermaid } from '../graph.ts';
import type { RunState } from '../state/run-state.ts';
import type { Workflow } from '../workflow.ts';
import { escapeMarkdownCell } from './escape.ts';
import { formatBudget, formatCost, formatCount, formatPercent, formatTime } from './format.ts';
import { renderGateSection } from './gate-section.ts';
import { renderHistorySection } from './history-section.ts';
import { openGate } from './open-gate.ts';
import { stageProgress } from './stage-progress.ts';
import { renderStageTable } from './stage-table.ts';
import { statusHeadline } from './status-headline.ts';

export interface StatusParams {
  workflow: Workflow;
  state: RunState;
  /** Linked from stage names to their outputs: `https://github.com/owner/repo`. */
  repoUrl?: string;
  /** How many of the newest history entries to show (default 10); fewer when the body would be too long. */
  maxHistory?: number;
}

export const DEFAULT_MAX_HISTORY = 10;

const TRUNCATED = '\n\n… (cut to fit GitHub’s size limit)';

/**
 * The status of a run in Markdown, at most `limit` characters long: headline, stage table, open gate, usage,
 * Mermaid graph and recent history. To fit, it shows fewer history entries first, then leaves out the graph,
 * and only as a last resort cuts the text.
 */
export function renderStatusBody(params: StatusParams, limit: number): string {
  const maxHistory = Math.max(0, Math.floor(params.maxHistory ?? DEFAULT_MAX_HISTORY));
  const parts = fixedParts(params);
  const build = (history: number, graph: boolean) =>
    [
      ...parts.top,
      ...(graph ? [parts.graph] : []),
      renderHistorySection(params.state.history, params.state.history_trimmed, history),
    ]
      .filter((part) => part !== '')
      .join('\n\n');
  const full = build(maxHistory, true);
  if (full.length <= limit) return full;
  for (const graph of [true, false]) {
    if (build(0, graph).length > limit) continue;
    let fits = 0;
    let tooMany = Math.min(maxHistory, params.state.history.length) + 1;
    while (tooMany - fits > 1) {
      const mid = Math.floor((fits + tooMany) / 2);
      if (build(mid, graph).length <= limit) fits = mid;
      else tooMany = mid;
    }
    return build(fits, graph);
  }
  return cut(build(0, false), limit);
}

function fixedParts({ workflow, state, repoUrl }: StatusParams): { top: string[]; graph: string } {
  const progress = stageProgress(workflow, state);
  const gate = openGate(workflow, state);
  const top = [
    `### flowgate · ${escapeMarkdownCell(workflow.name)}`,
    statusHeadline(workflow, state),
    subjectLine(state, repoUrl),
    commandsLine(state),
    renderStageTable(workflow, state, progress, repoUrl),
    gate === undefined ? '' : renderGateSection(gate, state),
    usageLine(workflow, state),
  ];
  const done = workflow.stages.filter((s) => progress.get(s.id) === 'done').map((s) => s.id);
  const current = state.status === 'completed' ? undefined : state.stage;
  const graph = fenced('mermaid', workflowToMermaid(workflow, { current, done }));
  return { top, graph };
}

function subjectLine(state: RunState, repoUrl: string | undefined): string {
  const { subject } = state;
  const kind = subject.kind === 'pull_request' ? 'Pull request' : 'Issue';
  const base = repoUrl?.replace(/\/+$/, '');
  const path = subject.kind === 'pull_request' ? 'pull' : 'issues';
  const ref =
    base === undefined ? `#${subject.number}` : `[#${subject.number}](${base}/${path}/${subject.number})`;
  const title = subject.title.trim() === '' ? '' : `: ${escapeMarkdownCell(subject.title)}`;
  const times = [`started ${formatTime(state.started_at)}`];
  if (state.completed_at !== undefined) times.push(`ended ${formatTime(state.completed_at)}`);
  else times.push(`updated ${formatTime(state.updated_at)}`);
  return `${kind} ${ref}${title} · run ${escapeMarkdownCell(state.id, 80)} · ${times.join(' · ')}`;
}

/** The commands that move a run on when no gate is open (the open gate lists its own). */
function commandsLine(state: RunState): string {
  const commands: Partial<Record<RunState['status'], string[]>> = {
    // Waiting for a transition condition, a run can also be moved by hand.
    running: ['/pause', '/cancel', ...(state.wait?.for === 'condition' ? ['/flowgate goto <stage>'] : [])],
    paused: [state.resume?.action === 'retry' ? '/retry [feedback]' : '/resume', '/cancel'],
    failed: ['/retry [feedback]', '/cancel'],
  };
  const list = commands[state.status];
  return list === undefined ? '' : `**Commands:** ${list.map((c) => `\`${c}\``).join(' · ')}`;
}

/** Tokens and cost of the whole run, against the workflow's limits when it sets them. */
function usageLine(workflow: Workflow, state: RunState): string {
  const { max_tokens, max_cost_usd } = workflow.limits;
  const tokens = state.usage.tokens_in + state.usage.tokens_out;
  const cost = state.usage.cost_usd;
  const tokenText =
    max_tokens === undefined
      ? `${formatCount(tokens)} tokens`
      : `${formatCount(tokens)} of ${formatCount(max_tokens)} tokens (${formatPercent(tokens, max_tokens)})`;
  const costText =
    max_cost_usd === undefined
      ? formatCost(cost)
      : `${formatCost(cost)} of ${formatBudget(max_cost_usd)} (${formatPercent(cost, max_cost_usd)})`;
  return `**Usage:** ${tokenText} · ${costText}`;
}

/** A fenced block whose fence no line of `text` can close. */
function fenced(info: string, text: string): string {
  const body = text.replace(/\r/g, ' ');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

function cut(text: string, limit: number): string {
  let end = Math.max(0, limit - TRUNCATED.length);
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}${TRUNCATED}`;
}
