/**
 * The hidden marker in the body of a pull request that a code stage opened for a run on an issue:
 * `<!-- flowgate:pr issue=42 -->`. The app reads it to treat the pull request's events (reviews, pushes,
 * closing) as events of the issue's run.
 */

/** The marker a code stage's pull request carries, naming the run's subject. */
export function pullMarker(issue: number): string {
  if (!Number.isSafeInteger(issue) || issue < 1) {
    throw new Error(`a pull request marker needs an issue number >= 1, not ${issue}`);
  }
  return `<!-- flowgate:pr issue=${issue} -->`;
}

const MARKER = /<!--[ \t]*flowgate:pr[ \t]+issue=(\d+)[ \t]*-->/gi;

/**
 * The issue a pull request body names with its marker, or undefined when it has none. flowgate writes its marker
 * last, so when a body holds several (text quoted into the summary above it, say), the last one counts.
 */
export function issueFromPullBody(body: string | null | undefined): number | undefined {
  let issue: number | undefined;
  for (const match of (body ?? '').matchAll(MARKER)) issue = Number(match[1]);
  return issue === undefined || !Number.isSafeInteger(issue) || issue < 1 ? undefined : issue;
}

/**
 * The text with every marker opening broken by a zero-width space after `flowgate`, so text copied into a pull
 * request body (an agent's summary) reads the same but cannot name another issue.
 */
export function defusePullMarkers(text: string): string {
  return text.replace(/flowgate(?=:pr\b)/gi, (word) => `${word}\u200b`);
}
