import { parseCommands } from '../core/commands/parse-commands.ts';
import type { Octo } from '../github/types.ts';
import type { SubjectEvent } from '../reconcile/subject-event.ts';
import { type CatchUpReport, messageOf } from './timers.ts';

export interface CatchUpDeps {
  /** The app's own client (authenticated as the app): lists its installations. */
  appOctokit: () => Promise<Octo>;
  /** A client of one installation. */
  installationOctokit: (installation: number) => Promise<Octo>;
  /** Reconciles a subject as a timer (serialised with the webhooks on it; never throws). */
  reconcile: (subject: SubjectEvent, installation: number, octokit: Octo) => Promise<void>;
  /**
   * From when the scan looks for `/flowgate start` comments (ISO): a start whose delivery was answered but whose
   * work was cut off leaves no label to find, only its comment. Absent: no such look.
   */
  startsSince?: string;
  now: () => string;
  log: (message: string) => void;
}

/** A label as the issues list gives it. */
interface ListedLabel {
  name?: string;
  description?: string | null;
}

/**
 * Whether a label is one flowgate sets on a subject that has a run: the stage labels and the awaiting-approval
 * label. Found by the description flowgate gives the labels it creates ("flowgate: ..."), or by the default
 * prefix `flowgate: ` of the name (a label someone made before flowgate did).
 */
export function isFlowgateLabel(label: ListedLabel | string): boolean {
  if (typeof label === 'string') return label.toLowerCase().startsWith('flowgate: ');
  return (
    (label.name ?? '').toLowerCase().startsWith('flowgate: ') ||
    (label.description ?? '').startsWith('flowgate: ')
  );
}

/**
 * The catch-up scan of an app without Redis: finds every open issue and pull request that carries a flowgate label
 * in every installation, and reconciles each as a timer, so a due time that no timer in memory remembers (the app
 * restarted, or was down when it came) is acted on. A reconcile of a run with nothing due changes nothing.
 *
 * It lists instead of searching: the issues list of a repository holds 100 open items a page, with their labels
 * and the labels' descriptions, and counts against the installation's REST budget (5,000 an hour or more), while
 * the search API allows 30 requests a minute and cannot ask for "any label flowgate made" without first knowing
 * every workflow's label names.
 * With `startsSince`, it also lists each repository's comments since then and applies the `/flowgate start` ones on
 * open items, which no label shows.
 * Cost: ceil(installations / 100) GETs, then per installation ceil(repositories / 100) GETs and per repository
 * ceil(open items / 100) GETs and, with `startsSince`, ceil(comments since / 100) GETs (plus an installation
 * token when the cached one has run out), then the reconciles.
 */
export async function catchUp(deps: CatchUpDeps): Promise<CatchUpReport> {
  const report: CatchUpReport = { installations: 0, repositories: 0, subjects: 0, requests: 0 };
  const app = await deps.appOctokit();
  const installations: number[] = [];
  for await (const page of app.paginate.iterator(app.rest.apps.listInstallations, { per_page: 100 })) {
    report.requests++;
    for (const installation of page.data) {
      if (installation.suspended_at === null || installation.suspended_at === undefined) {
        installations.push(installation.id);
      }
    }
  }
  for (const installation of installations) {
    report.installations++;
    try {
      await catchUpInstallation(deps, installation, report);
    } catch (error) {
      deps.log(`timers: the catch-up scan of installation ${installation} stopped (${messageOf(error)})`);
    }
  }
  return report;
}

async function catchUpInstallation(deps: CatchUpDeps, installation: number, report: CatchUpReport) {
  const octokit = await deps.installationOctokit(installation);
  const repositories: { owner: string; repo: string; id: number; defaultBranch: string }[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.apps.listReposAccessibleToInstallation, {
    per_page: 100,
  })) {
    report.requests++;
    for (const r of page.data) {
      if (r.archived === true) continue;
      repositories.push({ owner: r.owner.login, repo: r.name, id: r.id, defaultBranch: r.default_branch });
    }
  }
  for (const repository of repositories) {
    report.repositories++;
    const found: SubjectEvent[] = [];
    const open = new Map<number, Omit<SubjectEvent, 'trigger' | 'deliveryId'>>();
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      owner: repository.owner,
      repo: repository.repo,
      state: 'open',
      per_page: 100,
    })) {
      report.requests++;
      for (const issue of page.data) {
        const labels = issue.labels.map((l) => (typeof l === 'string' ? { name: l } : l));
        const subject = {
          repo: { owner: repository.owner, repo: repository.repo, id: repository.id },
          defaultBranch: repository.defaultBranch,
          number: issue.number,
          isPull: issue.pull_request !== undefined && issue.pull_request !== null,
          author: issue.user?.login ?? 'ghost',
          title: issue.title,
          labels: labels.map((l) => l.name ?? '').filter((name) => name !== ''),
          state: 'open' as const,
          // The node ids the list shows, as a webhook's payload would (a status edit and label moves in one request).
          nodeId: issue.node_id,
          labelIds: labels.flatMap((l) =>
            l.name === undefined || typeof l.node_id !== 'string'
              ? []
              : [{ name: l.name, nodeId: l.node_id }],
          ),
        };
        open.set(issue.number, subject);
        if (labels.some(isFlowgateLabel))
          found.push({ ...subject, deliveryId: `catch-up:${deps.now()}`, trigger: { kind: 'timer' } });
      }
    }
    if (deps.startsSince !== undefined) {
      // Each `/flowgate start` comment on an open item since then is applied as its delivery would have been: a
      // start a run took already (its id is in the run's seen ids) starts nothing again.
      for await (const page of octokit.paginate.iterator(octokit.rest.issues.listCommentsForRepo, {
        owner: repository.owner,
        repo: repository.repo,
        since: deps.startsSince,
        per_page: 100,
      })) {
        report.requests++;
        for (const comment of page.data) {
          if (comment.user?.type === 'Bot' || comment.created_at !== comment.updated_at) continue;
          if (!parseCommands(comment.body ?? '').commands.some((c) => c.kind === 'start')) continue;
          const subject = open.get(Number(comment.issue_url.split('/').at(-1)));
          if (subject === undefined) continue;
          found.push({
            ...subject,
            deliveryId: `catch-up:comment:${comment.id}`,
            trigger: { kind: 'comment', commentId: comment.id },
          });
        }
      }
    }
    if (deps.startsSince !== undefined) {
      report.requests += await labelsSince(octokit, repository, deps, open, found);
    }
    for (const subject of found) {
      report.subjects++;
      await deps.reconcile(subject, installation, octokit);
    }
  }
}

/** At most this many pages of a repository's issue events are read per scan (100 events each). */
const EVENT_PAGES = 10;

/**
 * The labels people added to open items since `deps.startsSince`, from the repository's issue events (newest
 * first): each one the item still carries is applied as its delivery would have been, marked recovered, so that it
 * starts a run only where none of the workflow started since (start-new-runs.ts) and says nothing otherwise. A
 * label flowgate sets itself (a bot's, or a stage label) is skipped. A server that does not list issue events is
 * logged and skipped. Returns the requests it made. Cost: 1 GET per 100 events since then (at most 10).
 */
async function labelsSince(
  octokit: Octo,
  repository: { owner: string; repo: string },
  deps: CatchUpDeps,
  open: Map<number, Omit<SubjectEvent, 'trigger' | 'deliveryId'>>,
  found: SubjectEvent[],
): Promise<number> {
  const since = Date.parse(deps.startsSince ?? '');
  const taken = new Set<string>();
  let requests = 0;
  try {
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listEventsForRepo, {
      owner: repository.owner,
      repo: repository.repo,
      per_page: 100,
    })) {
      requests++;
      let older = false;
      for (const event of page.data) {
        if (Date.parse(event.created_at) < since) {
          older = true;
          continue;
        }
        const name = event.label?.name;
        if (event.event !== 'labeled' || typeof name !== 'string' || event.actor?.type === 'Bot') continue;
        if (isFlowgateLabel(name)) continue;
        const subject =
          event.issue === undefined || event.issue === null ? undefined : open.get(event.issue.number);
        if (subject === undefined || !subject.labels.some((l) => l.toLowerCase() === name.toLowerCase()))
          continue;
        // The newest addition of a label on an item is the one that counts.
        const key = `${subject.number}:${name.toLowerCase()}`;
        if (taken.has(key)) continue;
        taken.add(key);
        found.push({
          ...subject,
          deliveryId: `catch-up:label:${event.id}`,
          trigger: {
            kind: 'labeled',
            label: name,
            by: event.actor?.login ?? 'ghost',
            byBot: false,
            recoveredAt: event.created_at,
          },
        });
      }
      if (older || requests >= EVENT_PAGES) break;
    }
  } catch (error) {
    deps.log(
      `timers: the issue events of ${repository.owner}/${repository.repo} could not be listed (${messageOf(error)}); labels added while the app was down are not looked at`,
    );
  }
  return requests;
}
