import { graphqlRoute } from './graphql-route.ts';
import type { Octo } from './types.ts';

/**
 * Pins an issue to its repository's issues page (GraphQL `pinIssue`; at most three are pinned, and the token needs
 * the right to pin). Throws what GitHub answered when it refuses. Cost: 1 POST /graphql.
 */
export async function pinIssue(octokit: Octo, nodeId: string): Promise<void> {
  const { data } = await octokit.request(graphqlRoute(octokit), {
    query: 'mutation($id: ID!) { pinIssue(input: { issueId: $id }) { issue { number } } }',
    variables: { id: nodeId },
  });
  const errors = (data as { errors?: { message?: string }[] }).errors;
  if (errors !== undefined && errors.length > 0) {
    throw new Error(errors.map((e) => e.message ?? 'unknown error').join('; '));
  }
}
