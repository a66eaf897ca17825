import { type ReconcileDeps, type RunWork, reconcileSubject } from './reconcile-subject.ts';
import type { SubjectEvent } from './subject-event.ts';
import type { SubjectLock } from './subject-lock.ts';
import { StateConflict } from './write-status.ts';

/** How often a reconcile that lost a race with another writer is redone on top of the other write. */
const CONFLICT_RETRIES = 3;

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

/** Reconciles the subject, redoing the work on top of a concurrent write up to three times; other errors throw. */
export async function reconcileRedone(subject: SubjectEvent, deps: ReconcileDeps): Promise<RunWork[]> {
  const key = `${subject.repo.owner}/${subject.repo.repo}#${subject.number}`;
  for (let attempt = 1; ; attempt++) {
    try {
      return await reconcileSubject(structuredClone(subject), deps);
    } catch (error) {
      if (!(error instanceof StateConflict) || attempt > CONFLICT_RETRIES) throw error;
      deps.log(`${key}: ${error.message}; reading again (attempt ${attempt + 1})`);
    }
  }
}
