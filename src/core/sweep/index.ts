/**
 * The pure core of scheduled sweeps, for the shell (the Action) that runs them: it decides, the shell does the
 * GitHub and model calls. See docs/sweeps.md for the model and what the shell does with each result.
 */
export { addSweepRun } from './add-sweep-run.ts';
export { AVERAGE_WINDOW, type StageSample, withSample } from './averages.ts';
export { type BudgetCheck, budgetReached, checkBudget } from './check-budget.ts';
export { DASHBOARD_COMMANDS, dashboardHelp } from './dashboard-answers.ts';
export {
  applyDashboardComments,
  type CommandOutcome,
  type DashboardComment,
  STEER_PERMISSION,
} from './dashboard-commands.ts';
export { formatDuration } from './dashboard-sections.ts';
export {
  type EstimateBasis,
  estimateSweep,
  remainingQueues,
  type StageEstimate,
  type StageQueues,
  type SweepEstimate,
} from './estimate-sweep.ts';
export {
  acquireLease,
  holdsLease,
  type LeaseOptions,
  type LeaseResult,
  releaseLease,
  renewLease,
} from './lease.ts';
export { nextRunText, nextScheduledRun } from './next-scheduled-run.ts';
export { nextWork, type Work } from './next-work.ts';
export { paceRecord, paceTimes } from './pace-record.ts';
export { GITHUB_CONTENT_LIMITS, type PaceLimits, Pacer } from './pacer.ts';
export { type Placement, placeItem, type SweepItem } from './place-items.ts';
export { type ItemResult, MAX_REASON_CHARS, recordResults } from './record-results.ts';
export {
  type DashboardOptions,
  dashboardMarker,
  dashboardTitle,
  renderDashboard,
} from './render-dashboard.ts';
export { renderSweepSummary, type SweepSummaryOptions } from './render-sweep-summary.ts';
export { type Schedule, type Selector, type SweepBudget, scheduleOf } from './schedule-of.ts';
export { type ItemFacts, MAX_SWEEP_ITEMS, type SelectOptions, selectItems } from './select-items.ts';
export { settleSweep } from './settle-sweep.ts';
export {
  defaultExit,
  entryStage,
  projectedPath,
  type StageRole,
  stageRole,
  sweepRuns,
} from './stage-roles.ts';
export { setCurrentItem, startBatch } from './start-batch.ts';
export { type StartSweepParams, type StartSweepResult, startSweep } from './start-sweep.ts';
export { type SweepCounts, summarizeSweep, sweepCounts } from './summarize-sweep.ts';
export { SweepInputError } from './sweep-error.ts';
export { type SweepNotice, sweepNotice } from './sweep-notice.ts';
export { type StageProgress, type SweepProgress, sweepProgress } from './sweep-progress.ts';
export * from './sweep-state.ts';
export {
  decodeSweepState,
  encodeSweepState,
  MAX_SWEEP_BLOCK_CHARS,
  SWEEP_BLOCK_MARKER,
  SWEEP_STATE_BLOCK,
  SWEEP_STATE_MIGRATIONS,
  trimSweepState,
} from './sweep-state-block.ts';
