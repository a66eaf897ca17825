import { applyDashboardComments, type DashboardComment, type SweepState } from '../../core/sweep/index.ts';
import type { Workflow } from '../../core/workflow.ts';
import { getPermission } from '../../github/get-permission.ts';
import { listIssueComments } from '../../github/list-issue-comments.ts';
import type { IssueRef, Octo, Permission } from '../../github/types.ts';
import type { Log } from '../step-context.ts';

const STEERS: ReadonlySet<Permission> = new Set<Permission>(['write', 'maintain', 'admin']);

/**
 * Applies the `/pause` and `/resume` comments on the dashboard that the state has not applied yet (ids above its
 * cursor), from people (bots' comments are left out); whether each author may steer sweeps comes from the
 * collaborator permission API (write or more), asked once per login per job. Each outcome is logged.
 * Cost: ceil(comments / 100) GETs, and 1 GET per new commenting login.
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
  const { octokit, dashboard, permissions } = params;
  const fresh = (await listIssueComments(octokit, dashboard)).filter(
    (c) => !c.isBot && c.id > params.state.cursor,
  );
  if (fresh.length === 0) return params.state;
  const comments: DashboardComment[] = [];
  for (const c of fresh) {
    let permission = permissions.get(c.login);
    if (permission === undefined) {
      permission = await getPermission(octokit, dashboard, c.login);
      permissions.set(c.login, permission);
    }
    comments.push({
      id: c.id,
      author: c.login,
      body: c.body,
      created_at: c.createdAt,
      allowed: STEERS.has(permission),
    });
  }
  const { state, outcomes } = applyDashboardComments(params.workflow, params.state, comments, params.now);
  for (const o of outcomes) {
    params.log.info(`flowgate: dashboard comment ${o.comment_id}: /${o.command}: ${o.message}`);
  }
  return state;
}
