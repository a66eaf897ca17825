import { type Draft, record } from './draft.ts';
import type { EventOf } from './events.ts';
import { enterStage, pauseRun, progress } from './movement.ts';

/**
 * The workflow file changed and the run is moved to the new definition: the current stage carries on if it still
 * exists, moves to the stage whose `replaces` names it, or the run pauses with an explanation.
 */
export function migrateDefinition(d: Draft, e: EventOf<'definition.changed'>): void {
  const next = e.workflow;
  const current = d.state.stage;
  d.workflow = next;
  d.state.definition = e.sha;
  if (next.stages.some((s) => s.id === current)) {
    record(d, `moved to the new workflow definition ${e.sha.slice(0, 7)}`);
    progress(d);
    return;
  }
  const heir = next.stages.find((s) => s.replaces?.includes(current));
  if (heir !== undefined) {
    d.state.wait = undefined;
    const why = `stage "${current}" was removed; "${heir.id}" replaces it`;
    const active = d.state.status === 'awaiting_approval' || d.state.status === 'running';
    // A paused or failed run enters the heir without starting it: /resume (or /retry) starts it.
    enterStage(d, heir.id, why, active);
    if (d.state.status === 'paused' && d.state.resume !== undefined) d.state.resume.action = 'start';
    record(d, `moved to the new workflow definition ${e.sha.slice(0, 7)}`);
    progress(d);
    return;
  }
  pauseRun(
    d,
    `the workflow file changed and stage "${current}" no longer exists; add \`replaces: [${current}]\` to the stage that takes its place, or \`/flowgate goto <stage> --force\``,
    'continue',
  );
}
