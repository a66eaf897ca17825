import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import type { ReconcileDeps } from './reconcile-deps.ts';
import type { SubjectEvent } from './subject-event.ts';

/** Where a run's effects are carried out: the subject on GitHub, its listing as this reconcile holds it. */
export interface EffectContext {
  octokit: Octo;
  issue: IssueRef;
  subject: SubjectEvent;
  comments: IssueComment[];
  deps: ReconcileDeps;
  headSha: string | undefined;
}
