import type { KeyedCache } from './keyed-cache.ts';
import type { RepoRef } from './types.ts';

/** What is known of one repository: its labels' node ids, and until when its server refused the GraphQL request. */
export interface RepoLabelIds {
  /** By lowercased name (GitHub compares label names so). */
  ids: Map<string, string>;
  /** Epoch milliseconds: until then this repository gets REST only (`refuseBatching`). */
  refusedUntil?: number;
}

/**
 * The GraphQL node ids of repositories' labels, keyed by `owner/repo`: learned from what GitHub shows anyway
 * (webhook payloads, the answers to label requests), never asked for. A label's id lets a label change ride in the
 * GraphQL request that edits a status comment.
 */
export type LabelIds = KeyedCache<RepoLabelIds>;

/** At most this many labels are remembered per repository (then it starts over). */
const PER_REPO = 100;

/** How long a repository whose server refused the GraphQL request as a whole gets REST only. */
const REFUSED_FOR_MS = 60 * 60 * 1000;

const keyOf = (repo: RepoRef) => `${repo.owner}/${repo.repo}`;

/** Remembers the node ids `labels` carry (those without one are skipped); nothing while batching is refused. */
export function rememberLabelIds(
  cache: LabelIds | undefined,
  repo: RepoRef,
  labels: readonly { name?: string; node_id?: string; nodeId?: string }[],
): void {
  if (cache === undefined || batchingRefused(cache, repo)) return;
  let known = cache.get(keyOf(repo))?.ids;
  for (const label of labels) {
    const id = label.node_id ?? label.nodeId;
    if (typeof label.name !== 'string' || typeof id !== 'string' || id === '') continue;
    if (known === undefined || known.size >= PER_REPO) {
      known = new Map();
      cache.set(keyOf(repo), { ids: known });
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
  const known = cache?.get(keyOf(repo))?.ids;
  const ids: string[] = [];
  for (const name of names) {
    const id = known?.get(name.toLowerCase());
    if (id === undefined) return undefined;
    ids.push(id);
  }
  return ids;
}

/** Forgets the repository's label ids (one was refused: a label deleted or renamed since); a refusal stays. */
export function forgetLabelIds(cache: LabelIds | undefined, repo: RepoRef): void {
  cache?.get(keyOf(repo))?.ids.clear();
}

/** Remembers that the repository's server refused the GraphQL request as a whole: REST only, for an hour. */
export function refuseBatching(cache: LabelIds | undefined, repo: RepoRef): void {
  cache?.set(keyOf(repo), { ids: new Map(), refusedUntil: Date.now() + REFUSED_FOR_MS });
}

/** Whether the repository's server refused the GraphQL request within the last hour. */
export function batchingRefused(cache: LabelIds | undefined, repo: RepoRef): boolean {
  const until = cache?.get(keyOf(repo))?.refusedUntil;
  return until !== undefined && until > Date.now();
}
