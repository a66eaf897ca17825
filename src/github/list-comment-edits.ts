import { graphqlRoute } from './graphql-route.ts';
import type { Octo } from './types.ts';

/** Who last edited a comment, as GitHub's GraphQL API says (REST tells when a comment changed, not who changed it). */
export interface CommentEdit {
  /** The last editor's login in REST's spelling (a bot as `<slug>[bot]`); `ghost` for a deleted account. */
  editor: string;
  /** When it was edited last. */
  at: string;
  /** The comment's latest edits (at most `HISTORY`), oldest first: who made each, and when. */
  history: { editor: string; at: string }[];
}

/** How many of a comment's latest edits are asked for. */
export const HISTORY = 10;

/** The query flowgate sends; the in-memory GitHub answers exactly this shape. */
const QUERY = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { id lastEditedAt editor { __typename login } userContentEdits(last: ${HISTORY}) { nodes { editedAt editor { __typename login } } } } } }`;

/**
 * The last edit of each comment named by its GraphQL node id (REST's `node_id`): null for a comment never edited;
 * absent from the map for a comment GitHub no longer knows (deleted since it was listed). Throws what GitHub
 * answered when it refuses the query. Cost: ceil(ids / 100) POST /graphql (queries, not paced as writes).
 */
export async function listCommentEdits(
  octokit: Octo,
  nodeIds: readonly string[],
): Promise<Map<string, CommentEdit | null>> {
  const edits = new Map<string, CommentEdit | null>();
  for (let i = 0; i < nodeIds.length; i += 100) {
    const ids = nodeIds.slice(i, i + 100);
    const { data } = await octokit.request(graphqlRoute(octokit), { query: QUERY, variables: { ids } });
    const answer = data as {
      data?: { nodes?: (RawNode | null)[] };
      errors?: { type?: string; message?: string }[];
    };
    const fatal = (answer.errors ?? []).filter((e) => e.type !== 'NOT_FOUND');
    if (fatal.length > 0 || answer.data?.nodes === undefined) {
      const why = fatal.map((e) => e.message ?? 'unknown error').join('; ');
      throw new Error(`GitHub did not say who edited comments: ${why || 'no nodes in the answer'}`);
    }
    for (const node of answer.data.nodes) {
      if (node === null || node.id === undefined) continue;
      if (node.lastEditedAt == null) {
        edits.set(node.id, null);
        continue;
      }
      const history = (node.userContentEdits?.nodes ?? [])
        .flatMap((e) => (e?.editedAt == null ? [] : [{ editor: restLogin(e.editor), at: e.editedAt }]))
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      edits.set(node.id, { editor: restLogin(node.editor), at: node.lastEditedAt, history });
    }
  }
  return edits;
}

interface RawActor {
  __typename?: string;
  login?: string;
}

interface RawNode {
  id?: string;
  lastEditedAt?: string | null;
  editor?: RawActor | null;
  userContentEdits?: { nodes?: ({ editedAt?: string | null; editor?: RawActor | null } | null)[] } | null;
}

/** GraphQL names a bot by its slug (`github-actions`); REST, and the rest of flowgate, as `github-actions[bot]`. */
function restLogin(editor: RawActor | null | undefined): string {
  if (editor?.login === undefined) return 'ghost';
  return editor.__typename === 'Bot' ? `${editor.login}[bot]` : editor.login;
}
