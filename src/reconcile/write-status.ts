import { renderCheckSummary } from '../core/render/check-summary.ts';
import { renderStatusComment, statusMarker } from '../core/render/status-comment.ts';
import { compactState } from '../core/state/compact-state.ts';
import { decodeStateBlock } from '../core/state/decode-state.ts';
import { encodeStateBlock } from '../core/state/encode-state.ts';
import { FINAL_STATUSES } from '../core/state/run-state.ts';
import { concludeCheckRuns } from '../github/conclude-check-runs.ts';
import { getComment, getCommentIfChanged } from '../github/get-comment.ts';
import type { KeyedCache } from '../github/keyed-cache.ts';
import { forgetLabelIds, type LabelIds, refuseBatching } from '../github/label-ids.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import { updateCommentTagged } from '../github/update-comment.ts';
import { updateCommentWithLabels } from '../github/update-comment-with-labels.ts';
import { upsertCheckRun } from '../github/upsert-check-run.ts';
import { upsertMarkedComment } from '../github/upsert-marked-comment.ts';
import type { BatchedLabels } from './apply-labels.ts';
import type { RunWork } from './reconcile-deps.ts';
import { StateConflict } from './state-conflict.ts';

/**
 * Writes the run's status comment (created once, then edited in place) with its signed state block. Before an
 * edit, the comment is read again: if its state is not the one this reconcile started from, someone else wrote
 * in between and the work is redone on top of theirs. With `extra.labels`, the edit and those label changes go in
 * one GraphQL request, or through REST (the edit only) when the server refuses it. On pull requests, the check run
 * follows. Returns whether the label changes were made with the edit (else the caller makes them).
 */
export async function writeStatus(
  octokit: Octo,
  issue: IssueRef,
  w: RunWork,
  comments: IssueComment[],
  stateKey: string,
  headSha: string | undefined,
  /** The ETag and rev of the status comments this process wrote last (the app keeps them; absent: none). */
  etags?: KeyedCache<{ etag: string; rev: number }>,
  /**
   * Label changes to make in the same request as the edit (`labelsToBatch`), and where label ids are forgotten
   * when GitHub refuses one of them.
   */
  extra?: { labels?: BatchedLabels; labelIds?: LabelIds },
): Promise<boolean> {
  let labelsSet = false;
  const state = compactState(w.state);
  const body = renderStatusComment({
    workflow: w.workflow,
    state,
    stateBlock: encodeStateBlock(state, stateKey, issue),
  });
  if (w.comment === undefined) {
    const { comment } = await upsertMarkedComment(octokit, issue, statusMarker(w.state.id), body, comments);
    w.comment = comment;
    comments.push(comment);
  } else {
    // Nobody may have written in between: asked conditionally when this process wrote the last version itself.
    const key = `${issue.owner}/${issue.repo}/${w.comment.id}`;
    const known = etags?.get(key);
    let currentRev: number | undefined;
    if (known === undefined)
      currentRev = revOf(await getComment(octokit, issue, w.comment.id), stateKey, issue);
    else {
      const asked = await getCommentIfChanged(octokit, issue, w.comment.id, known.etag);
      currentRev = asked?.changed === false ? known.rev : revOf(asked?.comment, stateKey, issue);
    }
    if (currentRev !== undefined && currentRev !== w.baseRev) {
      throw new StateConflict(
        `run ${w.state.id}: rev ${currentRev} was written while rev ${w.baseRev} was being updated`,
      );
    }
    const labels = extra?.labels;
    const nodeId = w.comment.nodeId;
    const batched =
      labels === undefined || nodeId === undefined
        ? undefined
        : await updateCommentWithLabels(octokit, {
            comment: { ...w.comment, nodeId },
            body,
            subjectNodeId: labels.subjectNodeId,
            add: labels.addIds,
            remove: labels.removeIds,
          });
    if (batched?.edited !== undefined) {
      w.comment = batched.edited;
      // GitHub answers no ETag to GraphQL: the next re-read of this comment is a plain one.
      etags?.delete(key);
      labelsSet = batched.labels === 'set';
      if (batched.labels === 'failed') forgetLabelIds(extra?.labelIds, issue);
    } else {
      if (batched?.refused === true) {
        // Refused as a whole (a GitHub-compatible server without these mutations, a token without GraphQL): REST
        // for this repository from now on, for an hour.
        refuseBatching(extra?.labelIds, issue);
      }
      const written = await updateCommentTagged(octokit, issue, w.comment.id, body);
      w.comment = written.comment;
      if (written.etag !== undefined) etags?.set(key, { etag: written.etag, rev: state.rev });
    }
  }
  if (headSha !== undefined) {
    const check = [...w.effects].reverse().find((e) => e.type === 'check.update');
    await upsertCheckRun(octokit, issue, {
      name: `flowgate: ${w.workflow.name}`,
      headSha,
      status: check?.type === 'check.update' ? check.status : 'in_progress',
      ...(check?.type === 'check.update' && check.conclusion !== undefined
        ? { conclusion: check.conclusion }
        : {}),
      title: `${w.workflow.name}: ${w.state.status.replace('_', ' ')} at ${w.state.stage}`,
      summary: renderCheckSummary({ workflow: w.workflow, state: w.state }),
      externalId: `flowgate:${w.state.id}`,
    });
    if (w.state.subject.kind === 'pull_request' && w.readHead !== undefined && w.readHead !== headSha) {
      // The pull request moved on: the check run on the commit it left ends, so nothing waits on it for ever.
      await concludeCheckRuns(octokit, issue, {
        name: `flowgate: ${w.workflow.name}`,
        headSha: w.readHead,
        externalId: `flowgate:${w.state.id}`,
        conclusion: 'neutral',
        title: `${w.workflow.name}: superseded by ${headSha.slice(0, 7)}`,
        summary: `New commits moved the pull request to ${headSha}; the run goes on there.`,
      });
    }
    if (FINAL_STATUSES.includes(w.state.status)) await concludeEarlierHeads(octokit, issue, w, headSha);
  }
  return labelsSet;
}

/**
 * When a run ends, the check runs it left on earlier heads of its pull request (before a push, before a later code
 * stage pushed) end too, as `neutral`: superseded by the head the run ended on.
 */
async function concludeEarlierHeads(
  octokit: Octo,
  issue: IssueRef,
  w: RunWork,
  headSha: string,
): Promise<void> {
  const heads = new Set<string>();
  for (const record of Object.values(w.state.stages)) {
    const output = record.output;
    if (output?.pointer.pull_number !== undefined && /^[0-9a-f]{40}$/.test(output.sha256))
      heads.add(output.sha256);
  }
  for (const approval of Object.values(w.state.stages).flatMap((r) => r.approvals)) {
    if (approval.via === 'review' && /^[0-9a-f]{40}$/.test(approval.sha256)) heads.add(approval.sha256);
  }
  heads.delete(headSha);
  for (const head of heads) {
    await concludeCheckRuns(octokit, issue, {
      name: `flowgate: ${w.workflow.name}`,
      headSha: head,
      externalId: `flowgate:${w.state.id}`,
      conclusion: 'neutral',
      title: `${w.workflow.name}: superseded by ${headSha.slice(0, 7)}`,
      summary: `The run moved on to ${headSha} and ended there (${w.state.status}); see the check run on that commit.`,
    });
  }
}

/** The rev of the state a status comment holds, when it holds a valid one. */
function revOf(comment: IssueComment | undefined, stateKey: string, issue: IssueRef): number | undefined {
  if (comment === undefined) return undefined;
  const decoded = decodeStateBlock(comment.body, stateKey, issue);
  return decoded.ok ? decoded.state.rev : undefined;
}
