import { parseActionOutput } from '../core/action-output.ts';
import { statusMarker } from '../core/render/status-comment.ts';
import { decodeStateBlock } from '../core/state/decode-state.ts';
import type { StateWhere } from '../core/state/encode-state.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { IssueComment, Octo } from '../github/types.ts';
import { findForeignEdits, statusEditors } from '../reconcile/foreign-edits.ts';
import { ActionError } from './action-error.ts';

/**
 * The state of run `runId` on subject `subject`, read from the run's status comment: the oldest bot comment
 * carrying the run's status marker (the app creates it once and edits it in place; output comments, which may
 * quote anything, never count). The signed state block must verify with `stateKey` and name this run and
 * subject. Throws an ActionError saying what is wrong otherwise. Pure.
 */
export function findRunState(
  comments: readonly IssueComment[],
  runId: string,
  subject: number,
  stateKey: string,
  repoId?: number,
): { state: RunState; comment: IssueComment } {
  const where = { id: repoId, number: subject };
  const marker = statusMarker(runId);
  const comment = comments.find(
    (c) => c.isBot && c.body.includes(marker) && parseActionOutput(c.body) === undefined,
  );
  if (comment === undefined) {
    throw new ActionError(
      `there is no status comment of run ${runId} on #${subject}: the run does not exist here, or its status comment was deleted`,
    );
  }
  const decoded = decodeStateBlock(comment.body, stateKey, where);
  if (!decoded.ok) throw new ActionError(`the state of run ${runId} cannot be trusted: ${decoded.message}`);
  const state = decoded.state;
  if (state.id !== runId || state.subject.number !== subject) {
    throw new ActionError(
      `the status comment of run ${runId} holds the state of run ${state.id} on #${state.subject.number}: someone copied a status comment`,
    );
  }
  return { state, comment };
}

/**
 * Refuses a status comment someone other than its author (the app, or the Action alone) edited last: flowgate
 * writes every rev of a run itself, so such an edit is a rollback to an older signed state or a forgery. Cost:
 * one POST /graphql when the comment changed since it was posted (REST's `updated_at`), none otherwise.
 */
export async function assertStatusWrittenByFlowgate(
  octokit: Octo,
  comment: IssueComment,
  runId: string,
  stateKey: string,
  where: StateWhere,
  /** Who else writes state here (a sweep's or the Action alone's login, see `statusEditors`). */
  writers: { stateWriter?: string; actionLogins?: readonly string[] } = {},
): Promise<void> {
  if (comment.updatedAt === comment.createdAt) return;
  const trusts = statusEditors(comment, stateKey, where, writers.stateWriter, writers.actionLogins);
  const edit = (await findForeignEdits(octokit, [{ comment, trusts }])).get(comment.id);
  if (edit === undefined) return;
  throw new ActionError(
    `the state of run ${runId} cannot be trusted: its status comment was last edited by @${edit.editor} (${edit.at}), and only flowgate writes it (an edit can set the run back to an older state)`,
  );
}
