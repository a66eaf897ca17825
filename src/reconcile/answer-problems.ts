import type { CommandProblem } from '../core/commands/command.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import { postReply } from './post-reply.ts';

/** A command that could not be read (unknown, malformed, too long) gets a reply that says why. */
export async function answerProblems(
  octokit: Octo,
  issue: IssueRef,
  comments: IssueComment[],
  problems: { comment: IssueComment; problem: CommandProblem }[],
): Promise<void> {
  for (const { comment, problem } of problems) {
    await postReply(octokit, issue, comments, `${comment.id}:${problem.line}`, problem.message);
  }
}
