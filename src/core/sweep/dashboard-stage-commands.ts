import type { Command } from '../commands/command.ts';
import { escapeMarkdownCell } from '../render/escape.ts';
import { formatTime } from '../render/format.ts';
import type { Stage, Workflow } from '../workflow.ts';
import { budgetReached } from './check-budget.ts';
import { type Change, changed, running, unchanged } from './dashboard-change.ts';
import { itemList } from './dashboard-sections.ts';
import { scheduleOf } from './schedule-of.ts';
import { sweepRuns } from './stage-roles.ts';
import type { StageQueue, SweepState } from './sweep-state.ts';

/**
 * What a dashboard command asks of one stage, when it names one:
 * - `/pause <stage> [note]`, `/resume <stage> [note]`: the first word after the command is a stage id (any
 *   letter case); a single word that is no stage is refused (`unknown`), more words are the whole sweep's note;
 * - `/retry failed [stage]`: the failed items of that stage (of every stage without one) are tried again.
 * Undefined for a command that acts on the whole sweep (`/pause`, `/resume [note]`) or on no stage at all.
 */
export type StageCommand =
  | { kind: 'pause' | 'resume'; stage: Stage; note?: string }
  | { kind: 'retry-failed'; stage?: Stage }
  | { kind: 'unknown'; command: 'pause' | 'resume' | 'retry-failed'; word: string };

export function stageCommand(workflow: Workflow, command: Command): StageCommand | undefined {
  if (command.kind === 'retry') {
    const words = (command.feedback ?? '').trim().split(/\s+/);
    if (words[0]?.toLowerCase() !== 'failed') return undefined;
    const word = words[1];
    if (word === undefined) return { kind: 'retry-failed' };
    const stage = stageNamed(workflow, word);
    return stage === undefined
      ? { kind: 'unknown', command: 'retry-failed', word }
      : { kind: 'retry-failed', stage };
  }
  if (command.kind !== 'pause' && command.kind !== 'resume') return undefined;
  const note = (command.note ?? '').trim();
  if (note === '') return undefined;
  const [word = '', ...rest] = note.split(/\s+/);
  const stage = stageNamed(workflow, word);
  if (stage !== undefined) {
    const more = rest.join(' ');
    return { kind: command.kind, stage, ...(more === '' ? {} : { note: more }) };
  }
  return rest.length === 0 ? { kind: 'unknown', command: command.kind, word } : undefined;
}

/** The stages a sweep runs in batches, which `/pause <stage>` can hold: its `ai` and `command` stages. */
export function pausableStages(workflow: Workflow): Stage[] {
  return workflow.stages.filter((s) => sweepRuns(s) && (s.mode === 'ai' || s.mode === 'command'));
}

/** The refusal of a stage name the workflow does not have, listing the ones the command takes. */
export function unknownStageAnswer(workflow: Workflow, state: SweepState, c: StageCommand): string {
  if (c.kind !== 'unknown') return '';
  const word = escapeMarkdownCell(c.word, 40).replace(/`/g, '');
  const written = c.command === 'retry-failed' ? `/retry failed ${word}` : `/${c.command} ${word}`;
  const valid = (c.command === 'retry-failed' ? workflow.stages.filter(sweepRuns) : pausableStages(workflow))
    .map((s) => `\`${s.id}\``)
    .join(', ');
  const whole =
    c.command === 'retry-failed'
      ? '`/retry failed` alone tries the failed items of every stage again.'
      : `\`/${c.command}\` alone ${c.command === 'pause' ? 'pauses' : 'goes on with'} the whole sweep (more words after it are a note).`;
  const failedAt =
    c.command === 'retry-failed' && state.current !== undefined ? failedStages(state.current.stages) : [];
  const hint = failedAt.length === 0 ? '' : ` Items failed at: ${failedAt.join(', ')}.`;
  return `\`${written}\`: workflow \`${workflow.name}\` has no stage "${word}". Stages it takes: ${valid || 'none'}.${hint} ${whole}`;
}

/** `/pause <stage>`: no batch starts at the stage, in this sweep or later ones, until `/resume <stage>`. */
export function pauseStage(
  workflow: Workflow,
  state: SweepState,
  author: string,
  stage: Stage,
  note: string | undefined,
  now: string,
): Change {
  const id = `\`${stage.id}\``;
  if (!pausableStages(workflow).includes(stage)) {
    const valid = pausableStages(workflow)
      .map((s) => `\`${s.id}\``)
      .join(', ');
    const why =
      stage.type === 'terminal'
        ? 'items that reach it are finished'
        : stage.mode === 'system'
          ? "its actions run as soon as the stage before it passes, within that stage's batch: pause that stage instead"
          : stage.mode === 'manual'
            ? 'a person does it'
            : 'a sweep runs no batches of it';
    return unchanged(
      state,
      `Stage ${id} cannot be paused: ${why}. Stages \`/pause <stage>\` takes: ${valid || 'none'}.`,
    );
  }
  const already = state.paused_stages?.[stage.id];
  if (already !== undefined) {
    return unchanged(
      state,
      `Stage ${id} is already paused (by @${escapeMarkdownCell(already.by, 60)}, ${formatTime(already.at)}); \`/resume ${stage.id}\` goes on with it.`,
    );
  }
  // The note is kept in the state: at most 200 characters of it.
  const kept = note === undefined ? undefined : Array.from(note).slice(0, 200).join('');
  const paused = {
    ...state.paused_stages,
    [stage.id]: { by: author, at: now, ...(kept === undefined ? {} : { note: kept }) },
  };
  const result = changed(
    { ...state, paused_stages: paused },
    undefined,
    author,
    now,
    `stage paused${kept === undefined ? '' : `: ${kept}`}`,
    stage.id,
  );
  const queue = state.current?.stages[stage.id];
  const active = state.current?.status === 'running' || state.current?.status === 'stopping';
  const inFlight = active && queue !== undefined && queue.started.length > 0;
  const waiting = queue?.pending.length ?? 0;
  const after = inFlight ? `once the batch in flight (${itemList(queue.started, 10)}) is done` : 'now';
  const held = waiting > 0 ? ` ${waiting} items are pending there now.` : '';
  return {
    ...result,
    reply: true,
    message: `Stage ${id} is paused ${after}: no sweep starts a batch there until \`/resume ${stage.id}\`; the other stages go on, and items that reach ${id} wait there.${held}`,
  };
}

/** `/resume <stage>`: batches start at the stage again; says who takes its held items up, and when. */
export function resumeStage(
  state: SweepState,
  author: string,
  stage: Stage,
  note: string | undefined,
  now: string,
): Change {
  const id = `\`${stage.id}\``;
  if (state.paused_stages?.[stage.id] === undefined) {
    const paused = Object.keys(state.paused_stages ?? {});
    const list =
      paused.length === 0
        ? 'No stage is paused.'
        : `Paused stages: ${paused.map((s) => `\`${s}\``).join(', ')}.`;
    return unchanged(state, `Stage ${id} is not paused: there is nothing to resume. ${list}`);
  }
  const { [stage.id]: _, ...rest } = state.paused_stages ?? {};
  const base: SweepState = { ...state };
  if (Object.keys(rest).length === 0) delete base.paused_stages;
  else base.paused_stages = rest;
  const result = changed(
    base,
    undefined,
    author,
    now,
    `stage resumed${note === undefined ? '' : `: ${Array.from(note).slice(0, 200).join('')}`}`,
    stage.id,
  );
  const sweep = state.current;
  const queue = sweep?.stages[stage.id];
  const held = [...(queue?.started ?? []), ...(queue?.pending ?? [])];
  // Only a sweep job applies dashboard commands: one whose sweep has ended starts a new sweep right after.
  const next = 'the sweep this job starts next, which places each item where its run stands';
  let when: string;
  if (sweep === undefined || held.length === 0)
    when = 'Items that reach it are taken up in the next batches.';
  else if (sweep.status === 'running' || sweep.status === 'stopping')
    when = `Sweep \`${sweep.id}\` takes its ${held.length} held items (${itemList(held, 10)}) up in its next batches.`;
  else if (sweep.status === 'paused')
    when = `Its ${held.length} held items (${itemList(held, 10)}) are taken up once the sweep goes on (\`/resume\`).`;
  else when = `Its ${held.length} held items (${itemList(held, 10)}) are taken up by ${next}.`;
  return { ...result, reply: true, message: `Stage ${id} goes on. ${when}` };
}

/**
 * `/retry failed [stage]`: the failed items of the stage (of every stage) are pending there again, each to be
 * retried in the name of the person who asked (`Sweep.retries`: their runs failed, and a run goes on after a
 * failure only with a `/retry` from someone allowed to give it). A sweep that
 * had ended (completed or failed) goes on with them: the job that applied the command, or the next sweep job,
 * takes them up; a paused sweep takes them up once resumed; one its budget stopped, once the budget allows.
 */
export function retryFailed(
  workflow: Workflow,
  state: SweepState,
  author: string,
  stage: Stage | undefined,
  now: string,
): Change {
  const sweep = state.current;
  if (sweep === undefined) return unchanged(state, 'No sweep has run yet: no item has failed.');
  const at = stage === undefined ? '' : ` at \`${stage.id}\``;
  const stages: Record<string, StageQueue> = { ...sweep.stages };
  const retried: number[] = [];
  for (const [id, queue] of Object.entries(sweep.stages)) {
    if (stage !== undefined && id !== stage.id) continue;
    if (queue.failed.length === 0) continue;
    const items = queue.failed.map((f) => f.item);
    retried.push(...items);
    const next: StageQueue = { ...queue, failed: [], pending: [...items, ...queue.pending] };
    delete next.finished_at;
    stages[id] = next;
  }
  if (retried.length === 0) {
    const elsewhere = failedStages(sweep.stages);
    const hint =
      elsewhere.length === 0
        ? ''
        : ` Items failed at: ${elsewhere.join(', ')}; \`/retry failed <stage>\` tries them again.`;
    return unchanged(
      state,
      `No item of sweep \`${sweep.id}\` failed${at}: there is nothing to retry.${hint}`,
    );
  }
  const list = itemList(retried, 20);
  const what = `failed items${at} are tried again: ${list}`;
  const reopen = sweep.status === 'completed' || sweep.status === 'failed';
  const goes = reopen ? running(sweep, now) : { ...sweep, updated_at: now };
  const retries = { ...goes.retries, ...Object.fromEntries(retried.map((n) => [String(n), author])) };
  const result = changed(
    state,
    { ...goes, stages, retries },
    author,
    now,
    `retry by @${author}: ${what}`,
    stage?.id,
  );
  const id = `\`${sweep.id}\``;
  const paused = state.paused_stages ?? {};
  const held = Object.keys(stages).filter(
    (s) => paused[s] !== undefined && (stage === undefined || s === stage.id),
  );
  const heldNote =
    held.length === 0
      ? ''
      : ` Stage ${held.map((s) => `\`${s}\``).join(', ')} is paused: \`/resume <stage>\` first.`;
  let when: string;
  switch (sweep.status) {
    case 'running':
    case 'stopping':
      when = 'in its next batches';
      break;
    case 'paused':
      when = 'once the sweep goes on (`/resume`)';
      break;
    case 'budget_stopped':
      when =
        budgetReached(scheduleOf(workflow).budget, sweep.spend) === undefined
          ? 'once `/resume` goes on with the sweep'
          : 'once `on.schedule.budget` is raised and `/resume` goes on with the sweep';
      break;
    default:
      // Only a sweep job applies dashboard commands: it goes on with the sweep right after.
      when = 'now, by the sweep job that read this command';
  }
  return {
    ...result,
    reply: true,
    message: `Sweep ${id}${reopen ? ' goes on: its' : ':'} ${what}, ${when}.${heldNote}`,
  };
}

function stageNamed(workflow: Workflow, word: string): Stage | undefined {
  const lower = word.toLowerCase();
  return workflow.stages.find((s) => s.id.toLowerCase() === lower);
}

function failedStages(stages: Readonly<Record<string, StageQueue>>): string[] {
  return Object.entries(stages)
    .filter(([, q]) => q.failed.length > 0)
    .map(
      ([id, q]) =>
        `\`${id}\` (${itemList(
          q.failed.map((f) => f.item),
          10,
        )})`,
    );
}
