import type { ReconcileDeps, RunWork } from './reconcile-deps.ts';
import { reconcileSubject } from './reconcile-subject.ts';
import { StateConflict } from './state-conflict.ts';
import type { SubjectEvent } from './subject-event.ts';

/** How often a reconcile that lost a race with another writer is redone on top of the other write. */
const CONFLICT_RETRIES = 3;

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
