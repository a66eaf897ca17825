/**
 * The HTTP status of a failed Octokit request, or undefined for anything that is not a request error.
 * Octokit reports a network failure (no answer at all) as status 500.
 */
export function requestStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}
