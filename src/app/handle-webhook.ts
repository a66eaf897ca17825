import type { ReconcileDeps } from '../reconcile/reconcile-deps.ts';
import { reconcileRedone } from '../reconcile/reconcile-redone.ts';
import type { SubjectEvent } from '../reconcile/subject-event.ts';
import type { SubjectLock } from './subject-lock.ts';

/**
 * Handles one subject event: serialised per issue or pull request (by `lock`: in this process, or with Redis across
 * replicas), redone on top of a concurrent write, and never thrown back at the webhook (a failed delivery is retried
 * by nobody; the next event finds the work anyway).
 */
export async function handleSubjectEvent(
  subject: SubjectEvent,
  deps: ReconcileDeps,
  lock: SubjectLock,
): Promise<void> {
  const key = `${subject.repo.owner}/${subject.repo.repo}#${subject.number}`;
  await lock.run(key, async () => {
    try {
      await reconcileRedone(subject, deps);
    } catch (error) {
      deps.log(
        `${key}: ${subject.trigger.kind} could not be handled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  });
}
