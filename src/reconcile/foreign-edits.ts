import { parseActionOutput } from '../core/action-output.ts';
import { listCommentEdits } from '../github/list-comment-edits.ts';
import type { IssueComment, Octo } from '../github/types.ts';
import { STATUS_MARKER } from './read-runs.ts';

/** An edit of one of flowgate's comments by someone flowgate does not write as. */
export interface ForeignEdit {
  /** Who edited it last (`ghost` when GitHub no longer knows the account). */
  editor: string;
  /** When. */
  at: string;
  /** The comment's latest edits, oldest first (at most `HISTORY`): who made each, and when. */
  history: { editor: string; at: string }[];
}

/** What is known to be flowgate's own writing already (the app's memory of what it wrote and checked). */
export type Vouched = (comment: IssueComment) => boolean;

/** A status comment: a bot comment with a run's status marker that is not an Action output (which may quote one). */
export function isStatusComment(comment: IssueComment): boolean {
  return comment.isBot && STATUS_MARKER.test(comment.body) && parseActionOutput(comment.body) === undefined;
}

/** An Action output comment from an author the reconcile reads outputs from. */
export function isTrustedOutput(comment: IssueComment, outputAuthors: readonly string[]): boolean {
  return (
    comment.isBot && outputAuthors.includes(comment.login) && parseActionOutput(comment.body) !== undefined
  );
}

interface Check {
  comment: IssueComment;
  /** Whose edits keep the comment flowgate's: a status comment, its author only; an output, the output authors. */
  editors: readonly string[];
}

/**
 * The comments whose last editor must be asked of GitHub before the reconcile trusts them: a status comment that
 * changed since it was posted (REST's `updated_at`), and an output comment that changed since it was posted or
 * that no run has read yet (GitHub's timestamps have whole seconds, so an edit within the second it was posted
 * looks unedited over REST). What the app knows it wrote or checked already (`vouched`) is not asked again. Pure.
 */
export function editChecks(
  comments: readonly IssueComment[],
  outputAuthors: readonly string[],
  read: (eventId: string) => boolean,
  vouched: Vouched,
): Check[] {
  const checks: Check[] = [];
  for (const comment of comments) {
    if (vouched(comment)) continue;
    const edited = comment.updatedAt !== comment.createdAt;
    if (isStatusComment(comment)) {
      if (edited) checks.push({ comment, editors: [comment.login] });
    } else if (isTrustedOutput(comment, outputAuthors)) {
      if (edited || !read(`comment:${comment.id}`))
        checks.push({ comment, editors: [comment.login, ...outputAuthors] });
    }
  }
  return checks;
}

/**
 * The comments among `checks` whose last editor is not flowgate, by comment id. A comment without a node id
 * cannot be asked about and counts as edited by someone unknown (fail closed). Cost: one POST /graphql when there
 * is anything to check (up to 100 comments), none otherwise.
 */
export async function findForeignEdits(
  octokit: Octo,
  checks: readonly Check[],
): Promise<Map<number, ForeignEdit>> {
  const foreign = new Map<number, ForeignEdit>();
  if (checks.length === 0) return foreign;
  const ids = checks.flatMap((c) => (c.comment.nodeId === undefined ? [] : [c.comment.nodeId]));
  const edits = ids.length === 0 ? new Map() : await listCommentEdits(octokit, ids);
  for (const { comment, editors } of checks) {
    if (comment.nodeId === undefined) {
      foreign.set(comment.id, { editor: 'ghost', at: comment.updatedAt, history: [] });
      continue;
    }
    const edit = edits.get(comment.nodeId);
    // Never edited (null), or deleted since it was listed (absent): nothing to refuse.
    if (edit === undefined || edit === null || editors.includes(edit.editor)) continue;
    foreign.set(comment.id, edit);
  }
  return foreign;
}
