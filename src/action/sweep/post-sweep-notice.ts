import { type SweepState, sweepNotice } from '../../core/sweep/index.ts';
import type { Workflow } from '../../core/workflow.ts';
import { listIssueComments } from '../../github/list-issue-comments.ts';
import type { IssueRef, Octo } from '../../github/types.ts';
import { postReply } from '../../reconcile/post-reply.ts';
import type { Log } from '../step-context.ts';

/**
 * Posts the completion or failure notice of a sweep that has ended (see `sweepNotice`) as a comment on the
 * dashboard, once per end, and returns the state marked as notified for the caller to write. Exactly once across
 * crashes, as the dashboard's replies: the comment carries a hidden marker naming the end and goes out before the
 * state that says so is written; a job that died in between finds the marked comment in the listing and posts
 * none. The state is unchanged when there is nothing to notify.
 *
 * Cost, once per sweep end: ceil(comments / 100) GETs and 1 comment POST (content-creating, paced by the job's
 * client); nothing otherwise.
 */
export async function postSweepNotice(params: {
  octokit: Octo;
  dashboard: IssueRef;
  workflow: Workflow;
  state: SweepState;
  log: Log;
}): Promise<SweepState> {
  const { state } = params;
  const notice = sweepNotice(params.workflow, state);
  if (notice === undefined || state.current === undefined) return state;
  const listed = await listIssueComments(params.octokit, params.dashboard);
  await postReply(params.octokit, params.dashboard, listed, `sweep-notice ${notice.key}`, notice.body);
  params.log.info(`flowgate: sweep of "${params.workflow.name}": notice posted (${notice.key})`);
  return { ...state, current: { ...state.current, notified: notice.key } };
}
