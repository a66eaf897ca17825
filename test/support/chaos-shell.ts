import type { SubjectEvent } from '../../src/reconcile/subject-event.ts';
import type { SimulationShell } from '../../src/simulate/simulate-on-github.ts';
import { appShell } from './app-shell.ts';

/** What happens to one webhook: handled at once, lost, sent twice, or held back and sent later. */
export type Fate = 'now' | 'drop' | 'twice' | 'late';

/**
 * The app as a shell whose webhooks GitHub delivers badly: each one, by `fates` in turn, is handled at once, lost,
 * delivered twice, or held back and delivered later, in reverse order, before the next person acts (`settle`).
 * When every webhook since the last settle was lost, settle redelivers the last one (the next event on the subject
 * would do the same: the reconcile reads everything). Timers are no webhooks: they fire when due.
 */
export function chaosShell(fates: readonly Fate[]): SimulationShell {
  const app = appShell();
  let turn = 0;
  const held: SubjectEvent[] = [];
  let lost: SubjectEvent | undefined;
  return {
    deliver: async (event, on) => {
      if (event.trigger.kind === 'timer' || event.trigger.kind === 'start') return app.deliver(event, on);
      const fate = fates[turn++ % Math.max(fates.length, 1)] ?? 'now';
      if (fate === 'drop') lost = event;
      else if (fate === 'late') held.push(event);
      else {
        await app.deliver(event, on);
        if (fate === 'twice') await app.deliver(event, on);
      }
    },
    settle: async (on) => {
      if (held.length === 0 && lost !== undefined) held.push(lost);
      lost = undefined;
      for (const event of held.splice(0).reverse()) await app.deliver(event, on);
    },
  };
}
