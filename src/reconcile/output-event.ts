import type { ActionOutput } from '../core/action-output.ts';
import type { EngineEvent } from '../core/engine/events.ts';
import type { IssueComment } from '../github/types.ts';

/** The engine event an Action output comment reports. */
export function outputEvent(comment: IssueComment, output: ActionOutput): EngineEvent {
  const id = `comment:${comment.id}`;
  const pointer = { comment_id: comment.id, url: comment.url };
  switch (output.kind) {
    case 'prompt':
      return {
        id,
        type: 'prompt.rendered',
        stage: output.stage,
        nonce: output.nonce,
        sha256: output.sha256,
        pointer,
      };
    case 'response':
      return {
        id,
        type: 'response.received',
        stage: output.stage,
        nonce: output.nonce,
        // Approvals of code bind to the pull request's head; of text, to the comment's body.
        sha256: output.head_sha ?? output.sha256,
        pointer: output.pull_number === undefined ? pointer : { ...pointer, pull_number: output.pull_number },
        usage: output.usage,
        ...(output.verdict === undefined ? {} : { verdict: output.verdict }),
        ...(output.choice === undefined ? {} : { choice: output.choice }),
        ...(output.ask_human === undefined ? {} : { question: output.ask_human.question }),
      };
    case 'approver':
      return {
        id,
        type: 'approver.decided',
        stage: output.stage,
        nonce: output.nonce,
        decision: output.decision,
        feedback: output.feedback,
        ...(output.ask_human === undefined ? {} : { question: output.ask_human.question }),
        usage: output.usage,
      };
    case 'failure':
      return {
        id,
        type: 'stage.failed',
        stage: output.stage,
        nonce: output.nonce,
        error: output.error,
        ...(output.url === undefined ? {} : { url: output.url }),
      };
  }
}
