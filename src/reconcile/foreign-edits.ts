import { parseActionOutput } from '../core/action-output.ts';
import { decodeStateBlock } from '../core/state/decode-state.ts';
import type { StateWhere } from '../core/state/encode-state.ts';
import { publicKeyTexts, stateKeyRing } from '../core/state/state-keys.ts';
import { listCommentEdits } from '../github/list-comment-edits.ts';
import type { IssueComment, Octo } from '../github/types.ts';
import { type KnownRun, STATUS_MARKER } from './read-runs.ts';

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

export interface Check {
  comment: IssueComment;
  /** Whether an edit by this login keeps the comment flowgate's. */
  trusts: (editor: string) => boolean;
}

/**
 * Whose edits keep a status comment flowgate's: its author (who writes every rev), the login this reconcile writes
 * as (`stateWriter`), and the Action's logins (`actionLogins`: `github-actions[bot]`, and the bot of an
 * installation token a sweep posts with) when the block is signed by a key other than the first of the ring,
 * which is the app's own (the app's signer, or the public key the Action holds first): a sweep beside the app
 * signs with its own key and edits as the Action. So a block the app signed is trusted only after the app's own
 * edit: a workflow job cannot put back an older one as the Action.
 */
export function statusEditors(
  comment: IssueComment,
  stateKey: string,
  where: StateWhere,
  stateWriter?: string,
  actionLogins: readonly string[] = ['github-actions[bot]'],
): (editor: string) => boolean {
  return (editor) => {
    if (editor === comment.login || editor === stateWriter) return true;
    if (!actionLogins.includes(editor)) return false;
    const [first] = publicKeyTexts(stateKeyRing(stateKey));
    return first === undefined || !decodeStateBlock(comment.body, first, where).ok;
  };
}

/**
 * The comments whose last editor must be asked of GitHub before the reconcile trusts them: a status comment that
 * changed since it was posted (REST's `updated_at`), and an output comment that changed since it was posted or
 * that no run has read yet (GitHub's timestamps have whole seconds, so an edit within the second it was posted
 * looks unedited over REST). What the app knows it wrote or checked already (`vouched`) is not asked again. Pure.
 */
export function editChecks(
  comments: readonly IssueComment[],
  config: { outputAuthors: readonly string[]; stateKey: string; stateWriter?: string },
  where: StateWhere,
  read: (comment: IssueComment) => boolean,
  vouched: Vouched,
): Check[] {
  const { outputAuthors } = config;
  const checks: Check[] = [];
  for (const comment of comments) {
    if (vouched(comment)) continue;
    const edited = comment.updatedAt !== comment.createdAt;
    if (isStatusComment(comment)) {
      if (edited)
        checks.push({
          comment,
          trusts: statusEditors(comment, config.stateKey, where, config.stateWriter, outputAuthors),
        });
    } else if (isTrustedOutput(comment, outputAuthors)) {
      if (edited || !read(comment))
        checks.push({ comment, trusts: (e) => e === comment.login || outputAuthors.includes(e) });
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
  for (const { comment, trusts } of checks) {
    if (comment.nodeId === undefined) {
      foreign.set(comment.id, { editor: 'ghost', at: comment.updatedAt, history: [] });
      continue;
    }
    const edit = edits.get(comment.nodeId);
    // Never edited (null), or deleted since it was listed (absent): nothing to refuse.
    if (edit === undefined || edit === null || trusts(edit.editor)) continue;
    foreign.set(comment.id, edit);
  }
  return foreign;
}

/**
 * Whether an output comment was applied by the run it names: its id is in the run's seen ids, or at or below the
 * run's cursor (older ids drop out of `seen`). Pure.
 */
export function appliedByItsRun(runs: readonly KnownRun[]): (comment: IssueComment) => boolean {
  return (comment) => {
    const parsed = parseActionOutput(comment.body);
    const run = parsed?.ok === true ? runs.find((r) => r.state.id === parsed.output.run) : undefined;
    if (run === undefined) return false;
    const { seen, cursor } = run.state;
    return seen.includes(`comment:${comment.id}`) || comment.id <= (cursor?.comment ?? 0);
  };
}
