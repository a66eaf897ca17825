import { parseCommands } from '../core/commands/parse-commands.ts';
import { submittedText } from '../core/commands/submit-content.ts';
import type { IssueComment } from '../github/types.ts';

/**
 * The content a person's comment handed in to a manual stage: the text after its `/submit`, whose sha256 the run
 * recorded. A comment edited since so that it holds no `/submit` any more hands in nothing (the empty text), so
 * approvals of what it said stop counting. Pure.
 */
export function personContent(comment: IssueComment): string {
  return submittedText(parseCommands(comment.body).commands) ?? '';
}
