import {
  dashboardMarker,
  dashboardTitle,
  decodeSweepState,
  emptySweepState,
  renderDashboard,
  type SweepState,
} from '../../core/sweep/index.ts';
import type { Workflow } from '../../core/workflow.ts';
import { createIssue } from '../../github/create-issue.ts';
import type { ListedIssue } from '../../github/list-open-issues.ts';
import { pinIssue } from '../../github/pin-issue.ts';
import type { IssueRef, Octo, RepoRef } from '../../github/types.ts';
import { toError } from '../action-error.ts';
import type { Log } from '../step-context.ts';
import { SweepRefused } from './sweep-refused.ts';

export interface OpenDashboardParams {
  octokit: Octo;
  repo: RepoRef;
  workflow: Workflow;
  /** The repository's open issues: the dashboard is the one a bot wrote with the workflow's marker. */
  open: readonly ListedIssue[];
  key: string;
  now: string;
  log: Log;
}

/**
 * Finds the workflow's dashboard issue among the open issues (by its hidden marker, in a body a bot wrote) and
 * decodes its sweep state; creates and pins one when there is none (pinning needs a right the token may lack:
 * a refusal is only logged). A block whose signature fails refuses the sweep: someone edited the dashboard, or
 * the key changed. Cost: nothing when found; 1 POST (content-creating) and 1 GraphQL POST when created.
 */
export async function openDashboard(
  params: OpenDashboardParams,
): Promise<{ issue: IssueRef; url: string; state: SweepState; created: boolean }> {
  const { octokit, repo, workflow, key, log } = params;
  const marker = dashboardMarker(workflow.name);
  const found = params.open.find((i) => !i.isPull && i.authorIsBot && i.body.includes(marker));
  if (found !== undefined) {
    const decoded = decodeSweepState(found.body, key, repo.id);
    const issue = { ...repo, number: found.number };
    if (decoded.ok) return { issue, url: found.url, state: decoded.state, created: false };
    if (decoded.code !== 'missing') {
      throw new SweepRefused(
        `the sweep state on the dashboard #${found.number} is refused: ${decoded.message}`,
      );
    }
    return { issue, url: found.url, state: emptySweepState(workflow.name), created: false };
  }
  const state = emptySweepState(workflow.name);
  const created = await createIssue(octokit, repo, {
    title: dashboardTitle(workflow),
    body: renderDashboard(workflow, state, params.now, { key, repoId: repo.id }),
  });
  log.info(`flowgate: created the sweep dashboard #${created.number} for "${workflow.name}"`);
  try {
    await pinIssue(octokit, created.nodeId);
  } catch (error) {
    log.info(`flowgate: the dashboard #${created.number} was not pinned (${toError(error).message})`);
  }
  return { issue: { ...repo, number: created.number }, url: created.url, state, created: true };
}
