import type { Pointer, RunState, RunStatus, StageRecord } from '../state/run-state.ts';
import type { Stage, Workflow } from '../workflow.ts';
import { escapeMarkdownCell } from './escape.ts';
import { formatCost } from './format.ts';
import type { StageProgress } from './stage-progress.ts';

/** How the current stage reads, by run status. */
const CURRENT: Record<RunStatus, string> = {
  running: '▶️ current',
  awaiting_approval: '▶️ current',
  paused: '⏸️ paused',
  failed: '❌ failed',
  cancelled: '🚫 cancelled',
  completed: '✅ done',
};

const OTHERS: Record<Exclude<StageProgress, 'current'>, string> = {
  done: '✅ done',
  waiting: '⏳ waiting',
  skipped: '⏭️ skipped',
  not_reached: '· not reached',
};

const MAX_NAMES = 3;

/** One row per stage, in file order: its state, attempts, approvals and cost so far. */
export function renderStageTable(
  workflow: Workflow,
  state: RunState,
  progress: ReadonlyMap<string, StageProgress>,
  repoUrl: string | undefined,
): string {
  const rows = workflow.stages.map((stage) => {
    const record = state.stages[stage.id];
    const where = progress.get(stage.id) ?? 'skipped';
    const cells = [
      stageCell(stage, record, state, repoUrl),
      where === 'current' ? CURRENT[state.status] : OTHERS[where],
      record === undefined || record.attempt === 0 ? '–' : String(record.attempt),
      approvalsCell(record),
      record === undefined || record.visits === 0 ? '–' : formatCost(record.usage.cost_usd),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return ['| Stage | State | Attempts | Approvals | Cost |', '| :-- | :-- | --: | :-- | --: |', ...rows].join(
    '\n',
  );
}

function stageCell(stage: Stage, record: StageRecord | undefined, state: RunState, repoUrl?: string): string {
  const name = escapeMarkdownCell(stage.name === stage.id ? stage.id : `${stage.name} (${stage.id})`);
  const pointer = record?.output?.pointer;
  const url = pointer === undefined ? undefined : pointerUrl(pointer, state.subject.number, repoUrl);
  return url === undefined ? name : `[${name}](${url})`;
}

/** A link to where a stage's output lives, when the state says where and the address is a plain https URL. */
function pointerUrl(pointer: Pointer, subject: number, repoUrl: string | undefined): string | undefined {
  const base = repoUrl?.replace(/\/+$/, '');
  const url =
    pointer.url ??
    (base === undefined
      ? undefined
      : pointer.comment_id !== undefined
        ? `${base}/issues/${subject}#issuecomment-${pointer.comment_id}`
        : pointer.pull_number !== undefined
          ? `${base}/pull/${pointer.pull_number}`
          : undefined);
  return url !== undefined && /^https:\/\/[^\s()<>|`\\[\]"']+$/.test(url) ? url : undefined;
}

/** Who approved the stage (people and AI approvers), `auto` when only skip gates passed it. */
function approvalsCell(record: StageRecord | undefined): string {
  const approvals = record?.approvals ?? [];
  const names = [...new Set(approvals.filter((a) => a.via !== 'skip').map((a) => a.by))];
  if (names.length === 0) return approvals.length > 0 ? 'auto' : '–';
  const shown = names.slice(0, MAX_NAMES).map((name) => escapeMarkdownCell(name, 40));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} +${more} more` : shown.join(', ');
}
