import { lockIssue } from '../github/lock-issue.ts';
import { setIssueState } from '../github/set-issue-state.ts';
import type { EffectContext } from './effect-context.ts';
import { postReply, replyMarker } from './post-reply.ts';
import type { RunWork } from './reconcile-deps.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Carries out a terminal stage's `archive: { after_days, lock }` for a completed run: once the days have passed
 * since the run completed, the subject is closed (and locked when asked), unless it was closed already or a person
 * commented after the run ended. Before that, a timer is set for the due time. What was decided is said once in a
 * reply whose marker is also the record that it was decided, so a later reconcile (or a person reopening the
 * subject) never closes it again. `setTimer`: set the timer for the due time (as the run completes).
 */
export async function archiveSubject(w: RunWork, c: EffectContext, setTimer: boolean): Promise<void> {
  const stage = w.workflow.stages.find((s) => s.id === w.state.stage);
  const archive = stage?.archive;
  const completedAt = w.state.completed_at;
  if (archive === undefined || completedAt === undefined || w.state.status !== 'completed') return;
  const key = `archive:${w.state.id}`;
  if (c.comments.some((comment) => comment.isBot && comment.body.includes(replyMarker(key)))) return;
  const due = Date.parse(completedAt) + archive.after_days * DAY_MS;
  if (Date.parse(c.deps.now()) < due) {
    // Set once, as the run completes; a later reconcile of the subject only closes it once it is due.
    if (setTimer) c.deps.schedule(new Date(due).toISOString());
    return;
  }
  if (c.subject.state === 'closed') return;
  const spoke = c.comments.find(
    (comment) => !comment.isBot && Date.parse(comment.createdAt) > Date.parse(completedAt),
  );
  const days = archive.after_days === 1 ? '1 day' : `${archive.after_days} days`;
  if (spoke !== undefined) {
    await postReply(
      c.octokit,
      c.issue,
      c.comments,
      key,
      `flowgate leaves this open: @${spoke.login} commented after the \`${w.workflow.name}\` run ended, so it is not archived.`,
    );
    return;
  }
  await postReply(
    c.octokit,
    c.issue,
    c.comments,
    key,
    archive.after_days === 0
      ? `The \`${w.workflow.name}\` run is complete: closing${archive.lock ? ' and locking' : ''} this.`
      : `The \`${w.workflow.name}\` run completed ${days} ago and nobody commented since: closing${archive.lock ? ' and locking' : ''} this.`,
  );
  await setIssueState(c.octokit, c.issue, 'closed', 'completed');
  c.subject.state = 'closed';
  if (archive.lock) await lockIssue(c.octokit, c.issue);
}
