import { parseActionOutput, sha256Hex } from '../core/action-output.ts';
import type { CommandProblem } from '../core/commands/command.ts';
import { parseCommands } from '../core/commands/parse-commands.ts';
import type { EngineEvent } from '../core/engine/events.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { IssueComment, PullReview } from '../github/types.ts';
import { outputEvent } from './output-event.ts';

/** An event still missing its actor's facts, which are looked up when it is applied. */
export type Pending =
  | { at: string; event: EngineEvent }
  /** A command a person gave without a comment: a stage label added (goto), a check run re-run (retry). */
  | {
      at: string;
      implied: {
        id: string;
        login: string;
        command: Extract<EngineEvent, { type: 'command.received' }>['command'];
      };
    }
  | {
      at: string;
      command: Extract<EngineEvent, { type: 'command.received' }>['command'];
      comment: IssueComment;
    }
  | { at: string; review: PullReview }
  | { at: string; content: IssueComment };

export interface Collected {
  pending: Pending[];
  problems: { comment: IssueComment; problem: CommandProblem }[];
}

/** Comments older than the run by more than this are never read as its commands (clocks differ a little). */
const SKEW_MS = 5 * 60_000;

/**
 * Everything on the subject that the run has not applied yet, oldest first: the Action's output comments (only
 * from the allowed authors), commands in people's comments (never from bots, never from edited comments),
 * content for a manual stage, reviews, and edits of the output the current gate is about.
 */
export function collectEvents(
  state: RunState,
  comments: IssueComment[],
  reviews: PullReview[],
  outputAuthors: string[],
): Collected {
  const seen = new Set(state.seen);
  const since = Date.parse(state.started_at) - SKEW_MS;
  const pending: Pending[] = [];
  const problems: Collected['problems'] = [];
  for (const comment of comments) {
    if (Date.parse(comment.createdAt) < since || seen.has(`comment:${comment.id}`)) continue;
    const parsed = parseActionOutput(comment.body);
    if (parsed !== undefined) {
      const trusted = comment.isBot && outputAuthors.includes(comment.login);
      if (trusted && parsed.ok && parsed.output.run === state.id) {
        pending.push({ at: comment.createdAt, event: outputEvent(comment, parsed.output) });
      }
      continue;
    }
    if (comment.isBot || comment.updatedAt !== comment.createdAt) continue;
    const { commands, problems: found } = parseCommands(comment.body);
    for (const problem of found) problems.push({ comment, problem });
    for (const command of commands) {
      if (seen.has(`comment:${comment.id}:${command.line}`)) continue;
      pending.push({ at: comment.createdAt, command, comment });
    }
    if (commands.length === 0 && found.length === 0 && state.wait?.for === 'content') {
      pending.push({ at: comment.createdAt, content: comment });
    }
  }
  for (const review of reviews) {
    if (review.submittedAt === null || review.isBot || seen.has(`review:${review.id}`)) continue;
    if (Date.parse(review.submittedAt) < since) continue;
    if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED') continue;
    pending.push({ at: review.submittedAt, review });
  }
  pending.push(...editsOfCurrentOutput(state, comments));
  return { pending: pending.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)), problems };
}

/** The comment holding the current stage's prompt or output changed since it was posted: approvals stop counting. */
function editsOfCurrentOutput(state: RunState, comments: IssueComment[]): Pending[] {
  const record = state.stages[state.stage];
  const found: Pending[] = [];
  for (const step of ['prompt', 'response'] as const) {
    const content = step === 'prompt' ? record?.prompt : record?.output;
    const id = content?.pointer.comment_id;
    if (content === undefined || id === undefined || content.pointer.pull_number !== undefined) continue;
    const comment = comments.find((c) => c.id === id);
    const parsed = comment === undefined ? undefined : parseActionOutput(comment.body);
    if (comment === undefined || parsed === undefined || !parsed.ok) continue;
    const now = sha256Hex(parsed.visible);
    if (now === content.sha256) continue;
    const event: EngineEvent = {
      id: `edit:${id}:${now}`,
      type: 'content.edited',
      stage: state.stage,
      step,
      sha256: now,
      by: 'someone',
    };
    if (!state.seen.includes(event.id)) found.push({ at: comment.updatedAt, event });
  }
  return found;
}
