import { parseCommands } from '../core/commands/parse-commands.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { IssueComment } from '../github/types.ts';
import { replyMarker } from './post-reply.ts';
import type { RunWork } from './reconcile-deps.ts';

/**
 * Commands that change nothing but the run's bookkeeping (`/status`, `/help`, a refused `/approve`) are answered
 * with a reply alone: no write of the status comment. The reply carries a second marker, `handled`, naming the run
 * and the comment, and the run counts a comment with that marker as applied (collect-events.ts), as it would count
 * one in its `seen` list. Cost of such a command: the listing, the eyes reaction, a permission read, the reply.
 */

/** The marker that says run `runId` answered comment `commentId` without writing its state. */
export function handledMarker(runId: string, commentId: number): string {
  return `<!-- flowgate:handled ${runId} ${commentId} -->`;
}

const HANDLED = /<!-- flowgate:handled (\S+) (\d+) -->/g;

/** The comments the bot's replies say run `runId` answered without a state write. */
export function handledComments(comments: IssueComment[], runId: string): Set<number> {
  const handled = new Set<number>();
  for (const comment of comments) {
    // Only a reply as the bot posted it: an edited one (a writer may edit any comment) could name any comment.
    if (
      !comment.isBot ||
      comment.updatedAt !== comment.createdAt ||
      !comment.body.includes('flowgate:handled')
    )
      continue;
    for (const match of comment.body.matchAll(HANDLED)) {
      if (match[1] === runId) handled.add(Number(match[2]));
    }
  }
  return handled;
}

/**
 * The comment this reconcile answered without changing the run, when that is all it did: its new `seen` ids are
 * the lines of one comment, none of them a `/flowgate start`; its effects are replies to that comment, no +1, and
 * what the unchanged state implies (labels the subject already has);
 * the rest of its state is as it was read; and no reply to that comment exists yet (one that does was posted by
 * another run or an earlier reconcile, and could not carry this run's marker). Undefined: write the state.
 */
export function quietAnswer(
  w: RunWork,
  read: RunState,
  comments: IssueComment[],
  labels: string[],
): number | undefined {
  if (w.comment === undefined) return undefined;
  const before = new Set(read.seen);
  const added = w.state.seen.filter((id) => !before.has(id));
  const ids = new Set<number>();
  for (const id of added) {
    const match = /^comment:(\d+):(\d+)$/.exec(id);
    if (match === null) return undefined;
    ids.add(Number(match[1]));
  }
  const [commentId] = [...ids];
  if (ids.size !== 1 || commentId === undefined) return undefined;
  const has = (name: string) => labels.some((l) => l.toLowerCase() === name.toLowerCase());
  for (const effect of w.effects) {
    if (effect.type === 'reply' && effect.to === commentId) continue;
    if (effect.type === 'react' && effect.reaction !== '+1') continue;
    // Derived from the state, which is as it was read: nothing to write, unless someone changed the labels.
    if (effect.type === 'status.update' || effect.type === 'check.update') continue;
    if (effect.type === 'labels.set' && effect.add.every(has) && !effect.remove.some(has)) continue;
    return undefined;
  }
  if (!w.effects.some((e) => e.type === 'reply')) return undefined;
  const comment = comments.find((c) => c.id === commentId);
  if (comment === undefined) return undefined;
  if (parseCommands(comment.body).commands.some((c) => c.kind === 'start')) return undefined;
  const marker = replyMarker(String(commentId));
  if (comments.some((c) => c.isBot && c.body.includes(marker))) return undefined;
  return sameRun(w.state, read) ? commentId : undefined;
}

/** The two states differ at most in what applying a command always changes: seen, history, times, cursor. */
function sameRun(a: RunState, b: RunState): boolean {
  const core = (s: RunState) => {
    const rest: Partial<RunState> = { ...s };
    for (const key of ['seen', 'history', 'history_trimmed', 'updated_at', 'cursor', 'rev'] as const)
      delete rest[key];
    return JSON.stringify(rest);
  };
  return core(a) === core(b);
}
