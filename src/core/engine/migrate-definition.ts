import type { Workflow } from '../workflow.ts';
import { type Draft, record, reply } from './draft.ts';
import type { EventOf } from './events.ts';
import { enterStage, pauseRun, progress } from './movement.ts';

/**
 * The workflow file changed and the run is moved to the new definition: the current stage carries on if it still
 * exists, moves to the stage whose `replaces` names it, or the run pauses. A move or a pause is said in a reply
 * that names the choices; a step of the removed stage still running is ignored when it reports.
 */
export function migrateDefinition(d: Draft, e: EventOf<'definition.changed'>): void {
  const next = e.workflow;
  const current = d.state.stage;
  const moved = `moved to the new workflow definition ${e.sha.slice(0, 7)}`;
  // Labels only the old definition has (a removed stage's) are taken off with the others the run no longer shows.
  const kept = new Set(labelsOf(next));
  const stale = labelsOf(d.workflow).filter((label) => !kept.has(label));
  if (stale.length > 0) d.effects.push({ type: 'labels.set', add: [], remove: stale });
  d.workflow = next;
  d.state.definition = e.sha;
  if (next.stages.some((s) => s.id === current)) {
    record(d, moved);
    progress(d);
    return;
  }
  const inFlight = d.state.wait?.for === 'action';
  const ignored = inFlight ? ` The step of \`${current}\` still running is ignored when it reports.` : '';
  const heir = next.stages.find((s) => s.replaces?.includes(current));
  if (heir !== undefined) {
    d.state.wait = undefined;
    const why = `stage "${current}" was removed; "${heir.id}" replaces it`;
    const active = d.state.status === 'awaiting_approval' || d.state.status === 'running';
    // A paused or failed run enters the heir without starting it: /resume (or /retry) starts it.
    enterStage(d, heir.id, why, active);
    if (d.state.status === 'paused' && d.state.resume !== undefined) d.state.resume.action = 'start';
    record(d, moved);
    progress(d);
    reply(
      d,
      `The workflow file changed: stage \`${current}\` was removed and \`${heir.id}\` replaces it, so the run moved to \`${heir.id}\`.${ignored}`,
    );
    return;
  }
  // Nothing of the removed stage is awaited any more: a step still running reports to a stage that is gone.
  if (inFlight) d.state.wait = undefined;
  pauseRun(
    d,
    `the workflow file changed and stage "${current}" no longer exists; \`/flowgate goto <stage>\` moves the run to a stage of the new definition, or add \`replaces: [${current}]\` to the stage that takes its place`,
    'continue',
  );
  record(d, moved);
  const stages = next.stages.map((s) => `\`${s.id}\``).join(', ');
  reply(
    d,
    [
      `The workflow file changed and stage \`${current}\` no longer exists, and no stage \`replaces\` it, so the run is paused.${ignored}`,
      `A maintainer can move it with \`/flowgate goto <stage>\` to one of ${stages}, or end it with \`/cancel\`; adding \`replaces: [${current}]\` to the stage that takes its place moves it there at the next event.`,
    ].join(' '),
  );
}

function labelsOf(workflow: Workflow): string[] {
  return [...workflow.stages.flatMap((s) => s.labels), workflow.labels.awaiting_approval];
}
