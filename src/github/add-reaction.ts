import type { Octo, RepoRef } from './types.ts';

export type CommentReaction = '+1' | 'eyes' | 'confused';

/**
 * Reacts to an issue comment. Idempotent on GitHub's side: the same reaction twice answers 200 and adds nothing.
 * Cost: 1 POST.
 */
export async function addReaction(
  octokit: Octo,
  repo: RepoRef,
  commentId: number,
  content: CommentReaction,
): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({
    owner: repo.owner,
    repo: repo.repo,
    comment_id: commentId,
    content,
  });
}
