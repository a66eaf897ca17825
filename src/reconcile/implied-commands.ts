import type { Pending } from './collect-events.ts';
import type { RunWork } from './reconcile-deps.ts';
import type { SubjectEvent } from './subject-event.ts';

/**
 * Commands people give without writing one: adding a stage's label asks to move there (allowed along a declared
 * transition, for maintainers, as /flowgate goto), and re-running the run's check run asks for /retry.
 */
export function impliedCommands(subject: SubjectEvent, w: RunWork): Pending[] {
  const t = subject.trigger;
  const at = new Date(0).toISOString();
  // A label the catch-up scan found (`recoveredAt`) only starts runs: a move it asked for may have been overtaken.
  if (t.kind === 'labeled' && !t.byBot && t.recoveredAt === undefined) {
    const stage = w.workflow.stages.find((s) => s.labels.includes(t.label));
    if (stage === undefined || stage.id === w.state.stage) return [];
    const raw = `(label "${t.label}" added)`;
    return [
      {
        at,
        implied: {
          id: `label:${t.label}:${subject.deliveryId}`,
          login: t.by,
          command: { kind: 'goto', stage: stage.id, force: false, line: 0, raw },
        },
      },
    ];
  }
  if (t.kind === 'rerequested') {
    return [
      {
        at,
        implied: {
          id: `rerequest:${subject.deliveryId}`,
          login: t.by,
          command: { kind: 'retry', line: 0, raw: '(check run re-run)' },
        },
      },
    ];
  }
  return [];
}
