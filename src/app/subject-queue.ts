import type { SubjectLock } from './subject-lock.ts';

/**
 * Runs tasks one at a time per key (one issue or pull request), in arrival order, so that two deliveries for the
 * same subject never interleave their read-modify-write of the run state. Different subjects run in parallel.
 */
export class SubjectQueue implements SubjectLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Nothing to let go of: the queue lives in memory. */
  async close(): Promise<void> {}

  /** How many subjects have work queued or running. */
  get busy(): number {
    return this.#tails.size;
  }
}
