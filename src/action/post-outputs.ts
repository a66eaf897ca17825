import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import { upsertMarkedComment } from '../github/upsert-marked-comment.ts';

/**
 * Posts output comment bodies in order. Each is upserted by its own marker line (the last line of the body), so
 * a create that GitHub carried out but answered with a 5xx is adopted, never posted twice, and a body already on
 * the subject is not posted again.
 * Cost: 1 POST per body (more only after an uncertain failure, see `upsertMarkedComment`).
 */
export async function postOutputs(
  octokit: Octo,
  issue: IssueRef,
  bodies: readonly string[],
  known: IssueComment[],
): Promise<IssueComment[]> {
  const posted: IssueComment[] = [];
  for (const body of bodies) {
    const marker = body.slice(body.lastIndexOf('<!-- flowgate:output '));
    const { comment } = await upsertMarkedComment(octokit, issue, marker, body, known);
    known.push(comment);
    posted.push(comment);
  }
  return posted;
}
