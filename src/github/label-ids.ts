import type { KeyedCache } from './keyed-cache.ts';
import type { RepoRef } from './types.ts';

/**
 * The GraphQL node ids of a repository's labels, by lowercased name (GitHub compares label names so), keyed by
 * `owner/repo`: learned from what GitHub shows anyway (webhook payloads, the answers to label requests), never
 * asked for. A label's id lets a label change ride in the GraphQL request that edits a status comment.
 */
export type LabelIds = KeyedCache<Map<string, string>>;

/** At most this many labels are remembered per repository (then it starts over). */
const PER_REPO = 100;

/** Remembers the node ids `labels` carry (those without one are skipped). */
export function rememberLabelIds(
  cache: LabelIds | undefined,
  repo: RepoRef,
  labels: readonly { name?: string; node_id?: string; nodeId?: string }[],
): void {
  if (cache === undefined) return;
  if (batchingRefused(cache, repo)) return;
  const key = `${repo.owner}/${repo.repo}`;
  let known = cache.get(key);
  for (const label of labels) {
    const id = label.node_id ?? label.nodeId;
    if (typeof label.name !== 'string' || typeof id !== 'string' || id === '') continue;
    if (known === undefined || known.size >= PER_REPO || known.has(REFUSED)) {
      known = new Map();
      cache.set(key, known);
    }
    known.set(label.name.toLowerCase(), id);
  }
}

/** The node ids of the labels named, or undefined when one is not known. */
export function labelIdsFor(
  cache: LabelIds | undefined,
  repo: RepoRef,
  names: readonly string[],
): string[] | undefined {
  const known = cache?.get(`${repo.owner}/${repo.repo}`);
  const ids: string[] = [];
  for (const name of names) {
    const id = known?.get(name.toLowerCase());
    if (id === undefined) return undefined;
    ids.push(id);
  }
  return ids;
}

/** Forgets the repository's label ids (one was refused: a label deleted or renamed since). */
export function forgetLabelIds(cache: LabelIds | undefined, repo: RepoRef): void {
  if (cache?.get(`${repo.owner}/${repo.repo}`)?.has(REFUSED) === true) return;
  cache?.set(`${repo.owner}/${repo.repo}`, new Map());
}

/** Where a repository's refusal of the GraphQL request is kept in its map (no label is named ''). */
const REFUSED = '';

/** How long a repository whose server refused the GraphQL request as a whole gets REST only. */
const REFUSED_FOR_MS = 60 * 60 * 1000;

/** Remembers that the repository's server refused the GraphQL request as a whole: REST only, for an hour. */
export function refuseBatching(cache: LabelIds | undefined, repo: RepoRef): void {
  if (cache === undefined) return;
  cache.set(`${repo.owner}/${repo.repo}`, new Map([[REFUSED, String(Date.now() + REFUSED_FOR_MS)]]));
}

/** Whether the repository's server refused the GraphQL request within the last hour. */
export function batchingRefused(cache: LabelIds | undefined, repo: RepoRef): boolean {
  const until = cache?.get(`${repo.owner}/${repo.repo}`)?.get(REFUSED);
  return until !== undefined && Number(until) > Date.now();
}
