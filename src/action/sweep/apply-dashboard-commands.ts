import {
  applyDashboardComments,
  type CommandOutcome,
  type DashboardComment,
  type SweepState,
} from '../../core/sweep/index.ts';
import type { Workflow } from '../../core/workflow.ts';
import { addReaction } from '../../github/add-reaction.ts';
import { getPermission } from '../../github/get-permission.ts';
import { listIssueComments } from '../../github/list-issue-comments.ts';
import type { IssueRef, Octo, Permission } from '../../github/types.ts';
import { postReply } from '../../reconcile/post-reply.ts';
import type { Log } from '../step-context.ts';

/**
 * Applies the commands in the dashboard's comments that the state has not applied yet (ids above its cursor),
 * from people (bots' comments are left out), and answers each comment as the app answers commands on an issue:
 * eyes on receipt, +1 when a command changed the sweep, and one reply with every sentence worth saying (refusals,
 * commands with nothing to act on, commands that belong on an item, `/status`, `/flowgate help`). Whether each
 * author may steer sweeps comes from the collaborator permission API, asked once per login per job.
 *
 * Exactly one reply per comment, across re-runs and crashes. The caller holds the lease and writes the returned
 * state (its cursor past these comments) after this returns: the reply goes out first, carrying a hidden marker
 * naming the comment. A job that dies between the reply and the state write leaves the comment above the cursor;
 * the next job applies it again (the same command on the same state) and finds the marked reply in the listing, so
 * it does not post a second one. The other order would lose the reply: the cursor would be past the comment, and
 * nobody would answer it. A job that cannot post a reply throws before the state write, for the same reason.
 * Reactions are best effort (a reaction twice is one reaction on GitHub).
 *
 * Cost: ceil(comments / 100) GETs; 1 GET per new commenting login; per answered comment 1-2 reaction POSTs and at
 * most 1 comment POST (content-creating, paced by the job's client).
 */
export async function applyDashboardCommands(params: {
  octokit: Octo;
  dashboard: IssueRef;
  workflow: Workflow;
  state: SweepState;
  now: string;
  permissions: Map<string, Permission>;
  log: Log;
}): Promise<SweepState> {
  const { octokit, dashboard, permissions, log } = params;
  const listed = await listIssueComments(octokit, dashboard);
  const fresh = listed.filter((c) => !c.isBot && c.id > params.state.cursor);
  if (fresh.length === 0) return params.state;
  const comments: DashboardComment[] = [];
  for (const c of fresh) {
    let permission = permissions.get(c.login);
    if (permission === undefined) {
      permission = await getPermission(octokit, dashboard, c.login);
      permissions.set(c.login, permission);
    }
    comments.push({ id: c.id, author: c.login, body: c.body, created_at: c.createdAt, permission });
  }
  const { state, outcomes } = applyDashboardComments(params.workflow, params.state, comments, params.now);
  const byComment = new Map<number, CommandOutcome[]>();
  for (const o of outcomes) {
    log.info(`flowgate: dashboard comment ${o.comment_id}: /${o.command}: ${o.message}`);
    byComment.set(o.comment_id, [...(byComment.get(o.comment_id) ?? []), o]);
  }
  for (const [id, answered] of byComment) {
    const react = (content: '+1' | 'eyes') =>
      addReaction(octokit, dashboard, id, content).catch(() => undefined);
    if (answered.some((o) => o.known)) await react('eyes');
    const sentences = answered.filter((o) => o.reply).map((o) => o.message);
    if (sentences.length > 0) await postReply(octokit, dashboard, listed, `${id}`, sentences.join('\n\n'));
    if (answered.some((o) => o.applied)) await react('+1');
  }
  return state;
}
