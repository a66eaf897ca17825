import { decodeStateBlock } from '../core/state/decode-state.ts';
import type { StateWhere } from '../core/state/encode-state.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { IssueComment } from '../github/types.ts';

export const STATUS_MARKER = /<!-- flowgate:status run=([^\s>]+) -->/;

export interface KnownRun {
  comment: IssueComment;
  state: RunState;
}

export interface BrokenRun {
  comment: IssueComment;
  runId: string;
  message: string;
  /** What a maintainer can do about it (default: see `forgedNotice`). */
  remedy?: string;
}

/**
 * The runs on a subject, read from the bot's status comments; a block that fails verification (signed for
 * another repository or subject, or not with our key) is `broken`. `where` is the subject, with its repository's id.
 */
export function readRuns(comments: IssueComment[], stateKey: string, where: StateWhere) {
  const subjectNumber = where.number;
  const runs: KnownRun[] = [];
  const broken: BrokenRun[] = [];
  for (const comment of comments) {
    const encoded = STATUS_MARKER.exec(comment.body)?.[1];
    if (encoded === undefined || !comment.isBot) continue;
    const runId = decodeURIComponent(encoded);
    const decoded = decodeStateBlock(comment.body, stateKey, where);
    if (!decoded.ok) {
      broken.push({ comment, runId, message: decoded.message });
      continue;
    }
    if (decoded.state.id !== runId || decoded.state.subject.number !== subjectNumber) {
      broken.push({ comment, runId, message: 'the state block belongs to another run or another issue' });
      continue;
    }
    runs.push({ comment, state: decoded.state });
  }
  return { runs, broken };
}
