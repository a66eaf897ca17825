/** A pull request as flowgate's code stages see it. */
export interface PullSummary {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  title: string;
  /** Empty when the pull request has no description. */
  body: string;
  /** The pull request's page (`html_url`). */
  url: string;
}

interface PullData {
  number: number;
  head: { sha: string; ref: string };
  base: { ref: string };
  title: string;
  body: string | null;
  html_url: string;
}

/** The fields flowgate reads of a `pull-request` or `pull-request-simple` answer. */
export function toPullSummary(data: PullData): PullSummary {
  return {
    number: data.number,
    headSha: data.head.sha,
    headRef: data.head.ref,
    baseRef: data.base.ref,
    title: data.title,
    body: data.body ?? '',
    url: data.html_url,
  };
}
