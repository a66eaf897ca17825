import { renderStatusBody, type StatusParams } from './status-body.ts';

/** GitHub refuses an issue comment body longer than 65,536 characters; stay below it. */
export const MAX_COMMENT_CHARS = 65_535;

export interface StatusCommentParams extends StatusParams {
  /** The hidden, signed state block, appended exactly as given. */
  stateBlock: string;
}

/**
 * The Markdown body of the run's one status comment, which the bot edits in place: the hidden marker the bot
 * finds it by, the status (headline, stages, open gate, usage, graph, recent history), then the state block.
 * History entries are left out, oldest first, to keep the body within GitHub's limit.
 */
export function renderStatusComment(params: StatusCommentParams): string {
  const marker = statusMarker(params.state.id);
  const budget = MAX_COMMENT_CHARS - marker.length - params.stateBlock.length - 4;
  return `${marker}\n${renderStatusBody(params, budget)}\n\n${params.stateBlock}`;
}

/** The hidden marker of a run's status comment; the id is percent-encoded so it cannot end the HTML comment. */
export function statusMarker(runId: string): string {
  return `<!-- flowgate:status run=${encodeURIComponent(runId)} -->`;
}
