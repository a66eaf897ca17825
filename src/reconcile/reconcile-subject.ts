import { FINAL_STATUSES } from '../core/state/run-state.ts';
import { getIssue, type IssueInfo } from '../github/get-issue.ts';
import { rememberLabelIds } from '../github/label-ids.ts';
import type { IssueRef } from '../github/types.ts';
import { ActorFacts } from './actor-facts.ts';
import { adoptDefinition } from './adopt-definition.ts';
import { answerProblems } from './answer-problems.ts';
import { answerQuietly } from './answer-quietly.ts';
import { labelsToBatch } from './apply-labels.ts';
import { applyPending } from './apply-pending.ts';
import { archiveSubject } from './archive-subject.ts';
import { collectEvents, type Pending } from './collect-events.ts';
import { executeEffects } from './execute-effects.ts';
import { followRewrittenVerdicts } from './follow-rewritten-verdicts.ts';
import { appliedByItsRun, editChecks, findForeignEdits } from './foreign-edits.ts';
import { impliedCommands } from './implied-commands.ts';
import { loadRepoWorkflows } from './load-repo-workflows.ts';
import { postReply } from './post-reply.ts';
import { quietAnswer } from './quiet-answer.ts';
import { type BrokenRun, type KnownRun, readRuns } from './read-runs.ts';
import type { ReconcileDeps, RunWork } from './reconcile-deps.ts';
import { answerEditedOutputs, refuseEditedStatus } from './refuse-foreign-edits.ts';
import { runDefinition } from './run-definition.ts';
import { PullCache, runPull } from './run-pull.ts';
import { markSameTree } from './same-tree.ts';
import { startNewRuns } from './start-new-runs.ts';
import { waitsForParts } from './subject-comments.ts';
import type { SubjectEvent } from './subject-event.ts';
import { triggerEvents } from './trigger-events.ts';
import { writeStatus } from './write-status.ts';

/**
 * Brings every flowgate run on one issue or pull request up to date with GitHub (level-triggered): reads the
 * workflows, the status comments and every comment and review the runs have not applied, applies them through the
 * engine in order, and carries out the effects. Callers serialise calls per subject.
 */
export async function reconcileSubject(subject: SubjectEvent, deps: ReconcileDeps): Promise<RunWork[]> {
  const { octokit, config } = deps;
  const issue: IssueRef = { ...subject.repo, number: subject.number };
  // 0. An event on a run's pull request names the issue, but its payload said nothing of the issue itself: its
  // labels must be known to move the stage label, its title and author to start or answer anything.
  if (subject.via !== undefined) {
    const known = await getIssue(octokit, issue);
    Object.assign(subject, {
      labels: known.labels,
      title: known.title,
      author: known.author,
      state: known.state,
      ...nodeIdsOf(known),
    });
  } else if (subject.labelsKnown === false) {
    // A check run's or workflow run's event carries no labels; transition conditions read them live (1 GET).
    const known = await getIssue(octokit, issue);
    Object.assign(subject, { labels: known.labels, labelsKnown: true, ...nodeIdsOf(known) });
  }
  rememberLabelIds(deps.labelIds, subject.repo, subject.labelIds ?? []);
  // 1. What the subject holds now.
  const listing = await deps.comments.read(octokit, issue);
  let comments = listing.comments;
  let full = listing.full;
  if (!listing.full && waitsForParts(comments)) {
    // A long output arrives in parts, maybe across deliveries: its earlier parts are older than the last listing.
    comments = (await deps.comments.read(octokit, issue, { full: true })).comments;
    full = true;
  }
  const read = readRuns(comments, config.stateKey, issue);
  // flowgate's comments someone else edited last are not trusted (a rolled-back status, a rewritten verdict).
  const foreign = await findForeignEdits(
    octokit,
    editChecks(comments, config, issue, appliedByItsRun(read.runs), listing.vouched),
  );
  const { runs, broken, restored } = await refuseEditedStatus({
    octokit,
    issue,
    comments,
    ...read,
    foreign,
    stateKey: config.stateKey,
    lastVouched: listing.lastVouched,
  });
  await answerEditedOutputs(octokit, issue, comments, runs, foreign);
  for (const b of broken) {
    await postReply(octokit, issue, comments, `state:${b.comment.id}`, forgedNotice(b));
  }
  const pulls = new PullCache(octokit, issue.owner, issue.repo);
  let workflows = deps.workflows;
  const repoWorkflows = async () => {
    workflows ??= await loadRepoWorkflows(
      octokit,
      subject.repo,
      subject.defaultBranch,
      deps.blobs,
      'any',
      deps.listings,
    );
    return workflows;
  };
  // Transition conditions read the subject's labels now: the payload's (or GitHub's), kept up to date as this
  // reconcile sets labels.
  const ctx = () => ({ now: deps.now(), nonce: deps.nonce(), labels: [...subject.labels] });

  // 2. Bring the existing runs up to date.
  const work: RunWork[] = [];
  for (const run of runs) {
    const workflow = await runDefinition(
      octokit,
      { ...subject.repo, ref: subject.defaultBranch },
      run.state,
      deps,
      repoWorkflows,
    );
    if (workflow === undefined) continue;
    const w: RunWork = {
      workflow,
      state: run.state,
      comment: run.comment,
      read: run.state,
      baseRev: run.state.rev,
      ...(run.state.subject.head_sha === undefined ? {} : { readHead: run.state.subject.head_sha }),
      changed: false,
      effects: [],
      received: new Set(),
    };
    work.push(w);
    if (isFinal(run)) {
      // A completed run may still have its subject to archive (`archive: { after_days }` on its last stage).
      await archiveSubject(w, { octokit, issue, subject, comments, deps, headSha: undefined }, false);
      continue;
    }
    const pullNumber = runPull(run.state, subject);
    const pull = pullNumber === undefined ? undefined : await pulls.get(pullNumber);
    w.headSha = pull?.info.headSha;
    const facts = new ActorFacts(
      octokit,
      { ...issue, number: pullNumber ?? issue.number },
      pull === undefined ? undefined : { baseRef: pull.info.baseRef },
      deps.permissions,
    );
    const { pending, problems } = collectEvents(
      run.state,
      comments,
      pull?.reviews ?? [],
      config.outputAuthors,
      foreign,
    );
    const triggered = triggerEvents(subject, run.state, pull?.info.headSha);
    await markSameTree(triggered, run.state, octokit, subject.repo);
    if (hasNews(subject, w, pending, triggered.length)) {
      // The run's next event: first the workflow file as the default branch holds it now (definition.changed).
      await adoptDefinition(w, {
        octokit,
        issue,
        repo: { ...subject.repo, ref: subject.defaultBranch },
        comments,
        deps: { ...deps, ...(workflows === undefined ? {} : { workflows }) },
        ctx,
      });
    }
    const implied = impliedCommands(subject, w);
    for (const p of [...pending, ...triggered.map((event) => ({ at: deps.now(), event })), ...implied]) {
      await applyPending(w, p, facts, ctx, octokit, issue);
    }
    await answerProblems(octokit, issue, comments, problems);
  }

  // 3. Start new runs: a trigger label, or /flowgate start in a comment no run has seen.
  const starters = new ActorFacts(octokit, issue, undefined, deps.permissions);
  await startNewRuns(
    subject,
    comments,
    work,
    repoWorkflows,
    starters,
    deps,
    issue,
    broken.map((b) => b.runId),
  );

  // 4. Carry out what changed: the status comment first (the Action reads it), then everything else.
  for (const w of work) {
    if (!w.changed) continue;
    const quiet = w.read === undefined ? undefined : quietAnswer(w, w.read, comments, subject.labels);
    if (quiet !== undefined) {
      await answerQuietly(w, { octokit, issue, subject, comments, deps, headSha: undefined }, quiet);
      continue;
    }
    followRewrittenVerdicts(w, comments, ctx);
    const headSha =
      w.headSha ?? (runPull(w.state, subject) === undefined ? undefined : w.state.subject.head_sha);
    // Label changes whose ids are known go in the status comment's edit (one GraphQL request, one write).
    const batch = await labelsToBatch(octokit, w, subject, issue, deps);
    const batched = await writeStatus(octokit, issue, w, comments, config.stateKey, headSha, deps.etags, {
      ...(batch === undefined ? {} : { labels: batch }),
      labelIds: deps.labelIds,
    });
    if (batched && batch !== undefined) {
      const has = (list: string[], name: string) => list.some((l) => l.toLowerCase() === name.toLowerCase());
      subject.labels = [...subject.labels.filter((l) => !has(batch.remove, l)), ...batch.add];
      w.effects = w.effects.filter((e) => e.type !== 'labels.set');
    }
    await executeEffects(w, { octokit, issue, subject, comments, deps, headSha });
  }
  const left = comments.map((c) => work.find((w) => w.comment?.id === c.id)?.comment ?? c);
  // What flowgate put back is its own writing again; every other comment someone else edited stays unvouched.
  listing.remember(left, new Set([...foreign.keys()].filter((id) => !restored.has(id))));
  deps.reconciled?.({ labels: subject.labels, comments: left, full });
  return work;
}

/**
 * Whether this reconcile brings the run something to apply (a command, a review, a result, content it waits for, a
 * label, a trigger): only then is its workflow file compared with the default branch's, so that chatter costs
 * nothing.
 */
function hasNews(subject: SubjectEvent, w: RunWork, pending: Pending[], triggered: number): boolean {
  if (triggered > 0 || subject.trigger.kind === 'labeled' || subject.trigger.kind === 'rerequested')
    return true;
  return pending.some((p) => !('content' in p) || w.state.wait?.for === 'content');
}

function isFinal(run: KnownRun): boolean {
  return FINAL_STATUSES.includes(run.state.status);
}

function forgedNotice(b: BrokenRun): string {
  return [
    `⚠️ flowgate cannot trust the state of run \`${b.runId}\`: ${b.message}.`,
    'The run is paused: flowgate will not change it or act on commands for it.',
    b.remedy ??
      'Only the state flowgate signed and wrote itself is trusted, so an edit by hand, even one that restores an earlier version from the edit history, does not help: a maintainer can delete the status comment to end the run, and start it again.',
  ].join(' ');
}

/** The node ids an issue read from GitHub shows (its own and its labels'), as a webhook's payload would. */
function nodeIdsOf(known: IssueInfo): Pick<SubjectEvent, 'nodeId' | 'labelIds'> {
  return {
    ...(known.nodeId === undefined ? {} : { nodeId: known.nodeId }),
    ...(known.labelIds === undefined ? {} : { labelIds: known.labelIds }),
  };
}
