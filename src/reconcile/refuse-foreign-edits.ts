import { parseActionOutput } from '../core/action-output.ts';
import { HISTORY } from '../github/list-comment-edits.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import { updateComment } from '../github/update-comment.ts';
import { answersWait } from './collect-events.ts';
import type { ForeignEdit } from './foreign-edits.ts';
import { postReply } from './post-reply.ts';
import { type BrokenRun, type KnownRun, readRuns } from './read-runs.ts';

/**
 * Status comments someone other than flowgate edited last are not trusted, whatever their block says: a person
 * with write access can put back an older, validly signed state of the same run (a rollback), and flowgate writes
 * every rev itself. When the app remembers the last version it wrote or checked, it writes that version back and
 * the run goes on from it, with one reply saying who edited the comment; otherwise the run is paused (`broken`),
 * and the caller posts one notice. Returns the runs as they stand after that, and the status comments put back.
 */
export async function refuseEditedStatus(params: {
  octokit: Octo;
  issue: IssueRef;
  comments: IssueComment[];
  runs: KnownRun[];
  broken: BrokenRun[];
  foreign: ReadonlyMap<number, ForeignEdit>;
  stateKey: string;
  lastVouched: (id: number) => IssueComment | undefined;
}): Promise<{ runs: KnownRun[]; broken: BrokenRun[]; restored: Set<number> }> {
  const { octokit, issue, comments, foreign, stateKey } = params;
  const runs: KnownRun[] = [];
  const broken: BrokenRun[] = [];
  const restored = new Set<number>();
  const edited: { comment: IssueComment; runId: string; state?: KnownRun['state'] }[] = [];
  for (const run of params.runs) {
    if (foreign.has(run.comment.id))
      edited.push({ comment: run.comment, runId: run.state.id, state: run.state });
    else runs.push(run);
  }
  for (const b of params.broken) {
    if (foreign.has(b.comment.id)) edited.push({ comment: b.comment, runId: b.runId });
    else broken.push(b);
  }
  for (const { comment, runId, state } of edited) {
    const edit = foreign.get(comment.id) as ForeignEdit;
    const remembered = params.lastVouched(comment.id);
    const prior =
      remembered !== undefined && isLatestOwn(remembered, comment.login, edit.history)
        ? remembered
        : undefined;
    const good = prior === undefined ? undefined : readRuns([prior], stateKey, issue).runs[0];
    const what = `@${edit.editor} edited the status comment of run \`${runId}\` (${edit.at})`;
    const back =
      state !== undefined && good !== undefined && state.rev < good.state.rev
        ? `, setting the run back from rev ${good.state.rev} to rev ${state.rev}`
        : '';
    if (good === undefined || good.state.id !== runId) {
      broken.push({
        comment,
        runId,
        message: `its status comment was last edited by @${edit.editor} (${edit.at})${back}, and only flowgate writes it`,
        remedy:
          "Only flowgate's own edits are trusted, so restoring the comment by hand does not help: a maintainer can delete the status comment to end the run, and start it again.",
      });
      continue;
    }
    const put = await updateComment(octokit, issue, comment.id, good.comment.body);
    const at = comments.findIndex((c) => c.id === comment.id);
    if (at >= 0) comments[at] = put;
    runs.push({ comment: put, state: good.state });
    restored.add(comment.id);
    await postReply(
      octokit,
      issue,
      comments,
      `restored:${comment.id}:${edit.at}`,
      `⚠️ ${what}${back}. Only flowgate writes status comments, so flowgate put back the state it last wrote (rev ${good.state.rev}); the run goes on from there and nothing the edit said was acted on.`,
    );
  }
  runs.sort((a, b) => a.comment.id - b.comment.id);
  return { runs, broken, restored };
}

/**
 * Whether `prior`, the version of a status comment the app remembers writing or checking, is the last one its
 * author wrote: no later edit by the author (another replica's) is in the comment's edit history. Putting back an
 * older version would itself be a rollback. A history that may be cut short and holds no edit by the author
 * cannot tell, so: no.
 */
function isLatestOwn(prior: IssueComment, author: string, history: ForeignEdit['history']): boolean {
  const own = history.filter((e) => e.editor === author).at(-1);
  if (own === undefined) return history.length < HISTORY && prior.updatedAt === prior.createdAt;
  // GraphQL's editedAt and REST's updated_at of one edit may differ by the second REST rounds to.
  return Date.parse(own.at) < Date.parse(prior.updatedAt) + 1000;
}

/**
 * One reply for each output comment someone else edited that answers the step a run waits for: it is not read
 * (its verdict, its text), and the run stops at that stage (collectEvents turns it into a failure of that step);
 * `/retry` runs the stage again.
 */
export async function answerEditedOutputs(
  octokit: Octo,
  issue: IssueRef,
  comments: IssueComment[],
  runs: readonly KnownRun[],
  foreign: ReadonlyMap<number, ForeignEdit>,
): Promise<void> {
  for (const comment of comments.slice()) {
    const edit = foreign.get(comment.id);
    const parsed = edit === undefined ? undefined : parseActionOutput(comment.body);
    if (edit === undefined || parsed?.ok !== true) continue;
    // Only an output for the step a run waits for stops it; one read before the edit stays as read (an edit of its
    // text voids approvals: collectEvents), and any other is only not read.
    if (!runs.some((r) => answersWait(r.state, parsed.output))) continue;
    await postReply(
      octokit,
      issue,
      comments,
      `edited:${parsed.output.run}:${parsed.output.nonce}`,
      `⚠️ @${edit.editor} edited the output comment ${comment.url} (posted by @${comment.login}) at ${edit.at}. flowgate reads only outputs as the Action posted them, so it did not read this one: the stage stopped there. \`/retry\` runs the stage again.`,
    );
  }
}
