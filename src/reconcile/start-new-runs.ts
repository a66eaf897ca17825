import { createHash } from 'node:crypto';
import { parseCommands } from '../core/commands/parse-commands.ts';
import { hasPermission } from '../core/engine/eligibility.ts';
import { startRun } from '../core/engine/step.ts';
import { FINAL_STATUSES } from '../core/state/run-state.ts';
import { getPull } from '../github/get-pull.ts';
import type { IssueComment, IssueRef } from '../github/types.ts';
import type { ActorFacts } from './actor-facts.ts';
import { answerWithoutRun } from './answer-without-run.ts';
import { brokenFileNamed, brokenFileReply, brokenFilesWithLabel } from './broken-workflow.ts';
import type { RepoWorkflow } from './load-repo-workflows.ts';
import { postReply } from './post-reply.ts';
import type { ReconcileDeps, RunWork } from './reconcile-deps.ts';
import type { SubjectEvent } from './subject-event.ts';

/** Starts the runs the subject asks for: a trigger label, a `/flowgate start` no run has seen, a sweep's start. */
export async function startNewRuns(
  subject: SubjectEvent,
  comments: IssueComment[],
  work: RunWork[],
  repoWorkflows: () => Promise<RepoWorkflow[]>,
  facts: ActorFacts,
  deps: ReconcileDeps,
  issue: IssueRef,
  /** Runs on the subject whose state is not trusted: no new run starts beside them. */
  untrusted: readonly string[],
): Promise<void> {
  const seenAnywhere = (id: string) => work.some((w) => w.state.seen.includes(id));
  let head: string | undefined;
  const requests: {
    id: string;
    by: string;
    name: string;
    how: 'label' | 'command' | 'start';
    commentId?: number;
    /** `/flowgate start --at <stage>`: the entry stage to start at. */
    at?: string;
    /** A label the catch-up scan found added at this time (`Trigger.recoveredAt`). */
    recoveredAt?: string;
  }[] = [];
  const t = subject.trigger;
  if (t.kind === 'start') {
    requests.push({
      id: `start:${t.workflow}:${subject.deliveryId}`,
      by: t.by,
      name: t.workflow,
      how: 'start',
    });
  }
  if (t.kind === 'labeled' && !t.byBot) {
    const all = await repoWorkflows();
    for (const repoWorkflow of all) {
      const workflow = repoWorkflow.workflow;
      if (workflow === undefined) continue;
      const id = `label:${t.label}:${subject.deliveryId}`;
      const recovered = t.recoveredAt === undefined ? {} : { recoveredAt: t.recoveredAt };
      if (workflow.on.labels.includes(t.label)) {
        requests.push({ id, by: t.by, name: workflow.name, how: 'label', ...recovered });
        continue;
      }
      // The label of an entry stage starts a run there, where no run of the workflow is in progress (on a run in
      // progress, a stage's label asks to move to it: implied-commands.ts).
      const entry = workflow.stages.find((stage) => stage.type === 'entry' && stage.labels.includes(t.label));
      const running = work.some(
        (w) => w.workflow.name === workflow.name && !FINAL_STATUSES.includes(w.state.status),
      );
      if (entry !== undefined && !running)
        requests.push({ id, by: t.by, name: workflow.name, how: 'label', at: entry.id, ...recovered });
    }
    // No workflow starts on this label, but a file with errors names it: that file is most likely why.
    if (
      requests.length === 0 &&
      t.recoveredAt === undefined &&
      !seenAnywhere(`label:${t.label}:${subject.deliveryId}`)
    ) {
      for (const file of brokenFilesWithLabel(all, t.label)) {
        await postReply(
          deps.octokit,
          issue,
          comments,
          `label:${t.label}:${subject.deliveryId}:${file.path}`,
          brokenFileReply(file),
        );
      }
    }
  }
  if (t.kind === 'comment') {
    const comment = comments.find((c) => c.id === t.commentId);
    if (comment !== undefined && !comment.isBot && comment.updatedAt === comment.createdAt) {
      const { commands, problems } = parseCommands(comment.body);
      for (const c of commands) {
        if (c.kind === 'start')
          requests.push({
            id: `comment:${comment.id}:${c.line}`,
            by: comment.login,
            name: c.workflow,
            how: 'command',
            commentId: comment.id,
            ...(c.at === undefined ? {} : { at: c.at }),
          });
      }
      // A run that took this comment's commands answered them, even the one that ended it: in this reconcile, or in
      // an earlier one (the same webhook delivered again).
      const took = (w: RunWork) =>
        w.received.has(comment.id) ||
        (w.state.cursor?.comment ?? 0) >= comment.id ||
        w.state.seen.some((id) => id.startsWith(`comment:${comment.id}:`));
      const noRun = work.every((w) => FINAL_STATUSES.includes(w.state.status) && !took(w));
      if (noRun)
        await answerWithoutRun(
          deps.octokit,
          issue,
          comments,
          comment,
          commands.filter((c) => c.kind !== 'start').map((c) => c.kind),
          problems,
          repoWorkflows,
          untrusted,
        );
    }
  }
  for (const r of requests) {
    if (seenAnywhere(r.id)) continue;
    if (r.recoveredAt !== undefined && startedSince(work, r.name, r.recoveredAt)) continue;
    const all = await repoWorkflows();
    const found = all.find(
      (x) => x.workflow?.name === r.name || x.workflow?.on.command === r.name.toLowerCase(),
    );
    // A label the catch-up found starts a run or says nothing: its own delivery may have answered it already.
    const say = async (text: string) => {
      if (r.recoveredAt !== undefined) return;
      await postReply(
        deps.octokit,
        issue,
        comments,
        r.commentId === undefined ? r.id : `${r.commentId}`,
        text,
      );
    };
    if (untrusted.length > 0) {
      await say(
        `No run starts here while the state of run ${untrusted.map((id) => `\`${id}\``).join(', ')} is not trusted (the notice above says why). A maintainer can delete that status comment to end the run.`,
      );
      continue;
    }
    const broken = found === undefined ? brokenFileNamed(all, r.name) : undefined;
    if (broken !== undefined) {
      await say(brokenFileReply(broken));
      continue;
    }
    if (found === undefined) {
      const names =
        all.map((x) => x.workflow?.on.command ?? x.path).join(', ') || 'none in .github/flowgate/';
      await say(`There is no workflow \`${r.name}\` on the default branch. Workflows: ${names}.`);
      continue;
    }
    if (found.workflow === undefined) {
      await say(brokenFileReply(found));
      continue;
    }
    const workflow = found.workflow;
    // A sweep starts a run only where the workflow never ran: it does not redo a run that ended.
    if (r.how === 'start' && work.some((w) => w.workflow.name === workflow.name)) continue;
    if (work.some((w) => w.workflow.name === workflow.name && !FINAL_STATUSES.includes(w.state.status))) {
      if (r.how === 'command')
        await say(
          `A run of \`${workflow.name}\` is already in progress here; \`/cancel\` it first to start over.`,
        );
      continue;
    }
    const permission = r.how === 'start' ? 'admin' : await facts.permission(r.by);
    if (
      !hasPermission(
        { login: r.by, permission, teams: [], codeowner: false, is_bot: false },
        deps.config.startPermission,
      )
    ) {
      await say(
        `@${r.by} cannot start \`${workflow.name}\`: starting a run needs ${deps.config.startPermission} permission, and @${r.by} has ${permission}.`,
      );
      continue;
    }
    if (
      workflow.on.subject !== 'any' &&
      workflow.on.subject !== (subject.isPull ? 'pull_request' : 'issue')
    ) {
      await say(
        `\`${workflow.name}\` runs on ${workflow.on.subject === 'issue' ? 'issues' : 'pull requests'} only.`,
      );
      continue;
    }
    const entries = workflow.stages.filter((stage) => stage.type === 'entry').map((stage) => stage.id);
    if (r.at !== undefined && !entries.includes(r.at)) {
      const known = workflow.stages.some((stage) => stage.id === r.at);
      await say(
        `\`${workflow.name}\` cannot start at \`${r.at}\`: ${known ? 'it is not an entry stage' : 'it has no such stage'}. A run of \`${workflow.name}\` can start at ${entries.map((id) => `\`${id}\``).join(', ')} (\`type: entry\`).`,
      );
      continue;
    }
    // Unique per request (its id names the delivery); reproducible where the clock is (tests, simulate).
    const suffix = createHash('sha256').update(`${r.id}\0${deps.now()}`).digest('hex').slice(0, 8);
    const runId = `${subject.number}-${workflow.name}-${suffix}`;
    head ??= subject.isPull ? (await getPull(deps.octokit, issue)).headSha : undefined;
    const result = startRun(
      workflow,
      {
        id: r.id,
        type: 'run.started',
        by: r.by,
        run_id: runId,
        workflow_sha: found.sha,
        ...(r.at === undefined ? {} : { entry: r.at }),
        subject: {
          kind: subject.isPull ? 'pull_request' : 'issue',
          number: subject.number,
          author: subject.author,
          title: subject.title,
          labels: subject.labels,
          // A run on a pull request binds its approvals to the head it started on; a push moves it.
          ...(head === undefined ? {} : { head_sha: head }),
        },
      },
      { now: deps.now(), nonce: deps.nonce() },
    );
    result.state.seen.push(r.id);
    work.push({ workflow, state: result.state, changed: true, effects: result.effects, received: new Set() });
  }
}

/** How much earlier than GitHub's clock the app's may run: a run started that much before the label still counts. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;

/**
 * Whether a run of `workflow` started on the subject at or after `at` (less the clock slack): then the label added
 * at `at` was taken (or a later start made it moot), and the catch-up starts nothing for it.
 */
function startedSince(work: RunWork[], workflow: string, at: string): boolean {
  const since = Date.parse(at) - CLOCK_SLACK_MS;
  return work.some((w) => w.workflow.name === workflow && Date.parse(w.state.started_at) >= since);
}
