import { type ActionOutput, parseActionOutput, sha256Hex } from '../core/action-output.ts';
import type { CommandProblem } from '../core/commands/command.ts';
import { parseCommands } from '../core/commands/parse-commands.ts';
import type { EngineEvent } from '../core/engine/events.ts';
import type { RunState } from '../core/state/run-state.ts';
import { parseVerdict } from '../core/verdict.ts';
import type { IssueComment, PullReview } from '../github/types.ts';
import type { ForeignEdit } from './foreign-edits.ts';
import { outputEvent } from './output-event.ts';
import { personContent } from './person-content.ts';
import { handledComments } from './quiet-answer.ts';

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
  | { at: string; review: PullReview };

export interface Collected {
  pending: Pending[];
  problems: { comment: IssueComment; problem: CommandProblem }[];
}

/** Comments older than the run by more than this are never read as its commands (clocks differ a little). */
const SKEW_MS = 5 * 60_000;

/**
 * Everything on the subject that the run has not applied yet, oldest first: the Action's output comments (only
 * from the allowed authors), commands in people's comments (never from bots, never from edited comments; a
 * manual stage's content comes in a `/submit` command, never as a plain comment), reviews, and edits of the output the current gate is about.
 */
export function collectEvents(
  state: RunState,
  comments: IssueComment[],
  reviews: PullReview[],
  outputAuthors: string[],
  /** flowgate's comments someone else edited last (foreign-edits.ts): an output among them is not read. */
  foreign: ReadonlyMap<number, ForeignEdit> = new Map(),
): Collected {
  const seen = new Set(state.seen);
  const cursor = state.cursor ?? { comment: 0, review: 0 };
  const since = Date.parse(state.started_at) - SKEW_MS;
  const pending: Pending[] = [];
  const problems: Collected['problems'] = [];
  const parts = new Map<string, Part[]>();
  // Commands the run answered with a reply alone (quiet-answer.ts) count as applied, like those in `seen`.
  const handled = handledComments(comments, state.id);
  for (const comment of comments) {
    if (Date.parse(comment.createdAt) < since || comment.id <= cursor.comment) continue;
    if (seen.has(`comment:${comment.id}`)) continue;
    const parsed = parseActionOutput(comment.body);
    if (parsed !== undefined) {
      const trusted = comment.isBot && outputAuthors.includes(comment.login);
      if (!trusted || !parsed.ok || parsed.output.run !== state.id) continue;
      const edit = foreign.get(comment.id);
      if (edit !== undefined) {
        const refused = editedOutput(state, comment, parsed.output, edit);
        // One failure for the step, however many of its parts were edited.
        if (refused !== undefined && !seen.has(refused.event.id)) {
          seen.add(refused.event.id);
          pending.push(refused);
        }
        continue;
      }
      const part = 'part' in parsed.output ? parsed.output.part : undefined;
      if (part === undefined || part.count === 1) {
        pending.push({ at: comment.createdAt, event: outputEvent(comment, parsed.output) });
        continue;
      }
      const key = `${parsed.output.kind}|${parsed.output.nonce}|${part.count}`;
      const group = parts.get(key) ?? [];
      group[part.index - 1] = { comment, visible: parsed.visible, output: parsed.output };
      parts.set(key, group);
      continue;
    }
    if (comment.isBot || comment.updatedAt !== comment.createdAt || handled.has(comment.id)) continue;
    const { commands, problems: found } = parseCommands(comment.body);
    for (const problem of found) problems.push({ comment, problem });
    for (const command of commands) {
      if (seen.has(`comment:${comment.id}:${command.line}`)) continue;
      pending.push({ at: comment.createdAt, command, comment });
    }
  }
  pending.push(...dismissals(state, reviews, seen));
  for (const review of reviews) {
    if (review.submittedAt === null || review.isBot || seen.has(`review:${review.id}`)) continue;
    if (review.id <= cursor.review) continue;
    if (Date.parse(review.submittedAt) < since) continue;
    if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED') continue;
    pending.push({ at: review.submittedAt, review });
  }
  for (const group of parts.values()) {
    const joined = joinParts(group);
    if (joined !== undefined && !seen.has(joined.event.id)) pending.push(joined);
  }
  pending.push(...editsOfCurrentOutput(state, comments, foreign));
  return { pending: pending.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)), problems };
}

/** Reviews whose approval the run recorded, dismissed since on GitHub: their approvals stop counting. */
function dismissals(state: RunState, reviews: PullReview[], seen: Set<string>): Pending[] {
  const approved = new Set(Object.values(state.stages).flatMap((r) => r.approvals.map((a) => a.event)));
  return reviews.flatMap((review) => {
    const approval = `review:${review.id}`;
    const id = `dismissed:${review.id}`;
    if (review.state !== 'DISMISSED' || !approved.has(approval) || seen.has(id)) return [];
    const event: EngineEvent = { id, type: 'review.dismissed', approval, reviewer: review.login };
    return [{ at: review.submittedAt ?? new Date(0).toISOString(), event }];
  });
}

/** The comment holding the current stage's prompt or output changed since it was posted: approvals stop counting. */
function editsOfCurrentOutput(
  state: RunState,
  comments: IssueComment[],
  foreign: ReadonlyMap<number, ForeignEdit>,
): Pending[] {
  const record = state.stages[state.stage];
  const found: Pending[] = [];
  for (const step of ['prompt', 'response'] as const) {
    const content = step === 'prompt' ? record?.prompt : record?.output;
    const id = content?.pointer.comment_id;
    if (content === undefined || id === undefined || content.pointer.pull_number !== undefined) continue;
    const current = (content.pointer.parts ?? [id]).map((partId) => {
      const comment = comments.find((c) => c.id === partId);
      const parsed = comment === undefined ? undefined : parseActionOutput(comment.body);
      // A manual stage's content is the text a person's comment hands in with `/submit`.
      if (
        comment !== undefined &&
        parsed === undefined &&
        step === 'response' &&
        record?.output?.by !== undefined
      )
        return { comment, visible: personContent(comment) };
      return parsed?.ok === true && comment !== undefined ? { comment, visible: parsed.visible } : undefined;
    });
    if (current.some((c) => c === undefined)) continue;
    const texts = current.flatMap((c) => (c === undefined ? [] : [c]));
    const comment = texts.reduce((a, b) => (a.comment.updatedAt >= b.comment.updatedAt ? a : b)).comment;
    const text = texts.map((c) => c.visible).join('');
    const now = sha256Hex(text);
    if (now === content.sha256) continue;
    const verdict = step === 'response' ? parseVerdict(text) : undefined;
    const event: EngineEvent = {
      // With the time of the edit: a text set back to an earlier version is a change again.
      id: `edit:${id}:${comment.updatedAt}:${now}`,
      type: 'content.edited',
      stage: state.stage,
      step,
      sha256: now,
      by: foreign.get(comment.id)?.editor ?? (comment.isBot ? 'someone' : comment.login),
      ...(verdict === undefined ? {} : { verdict }),
    };
    if (!state.seen.includes(event.id)) found.push({ at: comment.updatedAt, event });
  }
  return found;
}

/**
 * Whether an output comment someone else edited answers the step the run waits for (its run, stage and nonce, as
 * its marker says): then that step fails, rather than wait for ever. Any other edited output (a stale attempt's, a
 * part of an output read before) is only not read. Pure.
 */
export function answersWait(state: RunState, output: ActionOutput): boolean {
  const wait = state.wait;
  return (
    wait?.for === 'action' &&
    output.run === state.id &&
    output.stage === state.stage &&
    output.nonce === wait.nonce
  );
}

/**
 * An output comment someone other than flowgate edited before the run read it: its verdict and text are not read.
 * When it answers the step the run waits for, that step fails with why, so the run stops there and `/retry` runs
 * the stage again.
 */
function editedOutput(
  state: RunState,
  comment: IssueComment,
  output: ActionOutput,
  edit: ForeignEdit,
): { at: string; event: EngineEvent } | undefined {
  const wait = state.wait;
  if (wait?.for !== 'action' || !answersWait(state, output)) return undefined;
  return {
    at: comment.createdAt,
    event: {
      id: `edited:${wait.nonce}`,
      type: 'stage.failed',
      stage: state.stage,
      nonce: wait.nonce,
      error: `@${edit.editor} edited the output comment the Action posted (${edit.at}), so flowgate did not read it`,
      url: comment.url,
    },
  };
}

interface Part {
  comment: IssueComment;
  visible: string;
  output: ActionOutput;
}

/**
 * One output posted in several comments, as one event once every part is there: the text is the parts' visible
 * bodies joined in order (so its hash is the joined text's), the event id and pointer are the first part's, and
 * usage counts once. Missing parts: nothing yet.
 */
function joinParts(group: Part[]): { at: string; event: EngineEvent } | undefined {
  const first = group[0];
  const count = first === undefined ? 0 : 'part' in first.output ? (first.output.part?.count ?? 1) : 1;
  // `group` is sparse until every part is in (holes are skipped by filter).
  if (first === undefined || group.length !== count || group.filter(Boolean).length !== count)
    return undefined;
  const event = outputEvent(first.comment, first.output);
  const sha256 = sha256Hex(group.map((p) => p.visible).join(''));
  if (event.type === 'prompt.rendered') event.sha256 = sha256;
  if (event.type === 'response.received' && event.pointer.pull_number === undefined) event.sha256 = sha256;
  if (event.type === 'prompt.rendered' || event.type === 'response.received') {
    event.pointer = { ...event.pointer, parts: group.map((p) => p.comment.id) };
  }
  const last = group.reduce((a, b) => (a.comment.createdAt >= b.comment.createdAt ? a : b));
  return { at: last.comment.createdAt, event };
}
