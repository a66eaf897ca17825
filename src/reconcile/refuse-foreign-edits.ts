import { parseActionOutput } from '../core/action-output.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import { updateComment } from '../github/update-comment.ts';
import type { ForeignEdit } from './foreign-edits.ts';
import { postReply } from './post-reply.ts';
import { type BrokenRun, type KnownRun, readRuns } from './read-runs.ts';

/**
 * Status comments someone other than flowgate edited last are not trusted, whatever their block says: a person
 * with write access can put back an older, validly signed state of the same run (a rollback), and flowgate writes
 * every rev itself. When the app remembers the last version it wrote or checked, it writes that version back and
 * the run goes on from it, with one reply saying who edited the comment; otherwise the run is paused (`broken`),
 * and the caller posts one notice. Returns the runs as they stand after that.
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
}): Promise<{ runs: KnownRun[]; broken: BrokenRun[] }> {
  const { octokit, issue, comments, foreign, stateKey } = params;
  const runs: KnownRun[] = [];
  const broken: BrokenRun[] = [];
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
    const prior = params.lastVouched(comment.id);
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
    const restored = await updateComment(octokit, issue, comment.id, good.comment.body);
    const at = comments.findIndex((c) => c.id === comment.id);
    if (at >= 0) comments[at] = restored;
    runs.push({ comment: restored, state: good.state });
    await postReply(
      octokit,
      issue,
      comments,
      `restored:${comment.id}:${edit.at}`,
      `⚠️ ${what}${back}. Only flowgate writes status comments, so flowgate put back the state it last wrote (rev ${good.state.rev}); the run goes on from there and nothing the edit said was acted on.`,
    );
  }
  runs.sort((a, b) => a.comment.id - b.comment.id);
  return { runs, broken };
}

/**
 * One reply for each output comment of these runs that someone else edited before the run read it: it is not
 * read (its verdict, its text); the run stops at that stage (collectEvents turns it into a failure of the step it answered), and `/retry`
 * runs the stage again.
 */
export async function answerEditedOutputs(
  octokit: Octo,
  issue: IssueRef,
  comments: IssueComment[],
  runIds: readonly string[],
  foreign: ReadonlyMap<number, ForeignEdit>,
  read: (eventId: string) => boolean,
): Promise<void> {
  for (const comment of comments.slice()) {
    const edit = foreign.get(comment.id);
    const parsed = edit === undefined ? undefined : parseActionOutput(comment.body);
    if (edit === undefined || parsed?.ok !== true || !runIds.includes(parsed.output.run)) continue;
    // An output the run read before the edit stays as read; an edit of its text voids approvals (collectEvents).
    if (read(`comment:${comment.id}`)) continue;
    await postReply(
      octokit,
      issue,
      comments,
      `edited:${comment.id}`,
      `⚠️ @${edit.editor} edited the output comment ${comment.url} (posted by @${comment.login}) at ${edit.at}. flowgate reads only outputs as the Action posted them, so it did not read this one: the stage stopped there. \`/retry\` runs the stage again.`,
    );
  }
}
