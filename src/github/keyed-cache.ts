/**
 * What code that reads through a cache needs of it: a Map will do, and so will a bounded one (the app keeps
 * least-recently-used caches, lru-cache's `LRUCache`, so that its memory stays flat however many repositories it
 * serves).
 */
export interface KeyedCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): unknown;
  delete(key: string): unknown;
}
