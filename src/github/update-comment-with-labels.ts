import { assertCommentLength } from './assert-comment-length.ts';
import { graphqlRoute } from './graphql-route.ts';
import { requestStatus } from './request-status.ts';
import type { IssueComment, Octo } from './types.ts';

/** A comment edit and label changes on the comment's issue or pull request, sent as one GraphQL request. */
export interface CommentWithLabels {
  /** The comment as it was last read (its GraphQL node id is required). */
  comment: IssueComment & { nodeId: string };
  body: string;
  /** The issue's or pull request's GraphQL node id (the payload's `node_id`). */
  subjectNodeId: string;
  /** Node ids of labels to add, and to take off (at least one of the two lists is not empty). */
  add: string[];
  remove: string[];
}

/** What GitHub did: the comment as edited, and whether the label changes were made too. */
export type CommentWithLabelsResult =
  | { edited: IssueComment; labels: 'set' }
  /** The comment was edited, the labels were not (a label GitHub no longer knows, say): set them another way. */
  | { edited: IssueComment; labels: 'failed'; why: string }
  /**
   * The comment was not edited: the server refused the request as a whole (`refused`: no GraphQL there, no right to
   * it), or GraphQL answered without the comment (one GitHub no longer knows, say).
   */
  | { edited: undefined; refused: boolean; why: string };

/**
 * Edits a comment and adds and removes labels on its issue in one GraphQL request (`updateIssueComment`, then
 * `addLabelsToLabelable` and `removeLabelsFromLabelable`, which GitHub runs in that order): one write where REST
 * takes two, so one slot of the 1 s spacing GitHub asks between writes. The label changes are relative (nothing is
 * set from a list read earlier), so a label a person added in the meantime stays. GitHub answers no ETag to it.
 * Throws before sending a body over 65,536 characters, and throws what a server error or the network threw (the
 * edit may or may not have been made, as with a REST PATCH that fails so).
 * Cost: 1 POST /graphql (a mutation: content-creating, paced as a write).
 */
export async function updateCommentWithLabels(
  octokit: Octo,
  change: CommentWithLabels,
): Promise<CommentWithLabelsResult> {
  assertCommentLength(change.body);
  const parts = ['updateIssueComment(input: { id: $comment, body: $body }) { issueComment { updatedAt } }'];
  // GraphQL refuses a declared variable no field uses: `$subject` only with a label change.
  const declared = ['$comment: ID!', '$body: String!'];
  if (change.add.length > 0 || change.remove.length > 0) declared.push('$subject: ID!');
  if (change.add.length > 0) {
    declared.push('$add: [ID!]!');
    parts.push(
      'added: addLabelsToLabelable(input: { labelableId: $subject, labelIds: $add }) { clientMutationId }',
    );
  }
  if (change.remove.length > 0) {
    declared.push('$remove: [ID!]!');
    parts.push(
      'removed: removeLabelsFromLabelable(input: { labelableId: $subject, labelIds: $remove }) { clientMutationId }',
    );
  }
  const query = `mutation(${declared.join(', ')}) { ${parts.join(' ')} }`;
  let data: unknown;
  try {
    ({ data } = await octokit.request(graphqlRoute(octokit), {
      query,
      variables: {
        comment: change.comment.nodeId,
        body: change.body,
        ...(change.add.length > 0 || change.remove.length > 0 ? { subject: change.subjectNodeId } : {}),
        ...(change.add.length > 0 ? { add: change.add } : {}),
        ...(change.remove.length > 0 ? { remove: change.remove } : {}),
      },
    }));
  } catch (error) {
    const status = requestStatus(error);
    // Refused as a whole (no GraphQL there, no right to it, a malformed request): nothing was written.
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
      return { edited: undefined, refused: true, why: `GraphQL answered ${status}` };
    }
    throw error;
  }
  const answer = data as {
    data?: {
      updateIssueComment?: { issueComment?: { updatedAt?: string } | null } | null;
      added?: unknown;
      removed?: unknown;
    } | null;
    errors?: { type?: string; path?: unknown[]; message?: string }[];
  };
  const errors = answer.errors ?? [];
  const why = errors.map((e) => e.message ?? 'unknown error').join('; ');
  const updatedAt = answer.data?.updateIssueComment?.issueComment?.updatedAt;
  if (typeof updatedAt !== 'string') {
    // A comment GitHub no longer knows is NOT_FOUND; any other error (a field the server does not have, say) is a
    // refusal of the request, as a 4xx is.
    const refused = errors.length === 0 || errors.some((e) => e.type !== 'NOT_FOUND');
    return { edited: undefined, refused, why: why || 'no comment in the answer' };
  }
  const edited: IssueComment = { ...change.comment, body: change.body, updatedAt };
  const labelsDone =
    errors.length === 0 &&
    (change.add.length === 0 || answer.data?.added != null) &&
    (change.remove.length === 0 || answer.data?.removed != null);
  return labelsDone
    ? { edited, labels: 'set' }
    : { edited, labels: 'failed', why: why || 'no labels in the answer' };
}
