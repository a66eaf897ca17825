/**
 * What serialises the handling of one subject (an issue or pull request): the in-process `SubjectQueue`, or with
 * `REDIS_URL` the `RedisSubjectLock`, which holds a Redis lease across replicas as well. `handleSubjectEvent` takes
 * either and does not care which.
 */
export interface SubjectLock {
  /** Runs `task` when no other task for `key` runs (here, or with Redis on any replica), and returns its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Lets go of what the lock holds open (the Redis connection); tasks still running finish. */
  close(): Promise<void>;
}
