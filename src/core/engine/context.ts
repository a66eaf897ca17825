/** What the shell passes in so the engine stays pure: the time, and fresh randomness for nonces. */
export interface EngineContext {
  /** ISO 8601 time of this step. */
  now: string;
  /** A fresh random string; the engine derives dispatch nonces from it. */
  nonce: string;
  /**
   * When GitHub says the event happened (a comment's or review's creation time), if the shell knows: what the run
   * waits for from then on is bound to it, so that the order of GitHub's events decides, not when they are read.
   */
  at?: string;
  /** The id of the comment the event came from, if it came from one (GitHub's comment ids only grow). */
  comment_id?: number;
  /**
   * The subject's labels now, as the shell read them for this event (the webhook's payload, or GitHub): transition
   * conditions read these, so that a label added or removed during the run counts. Absent: the labels the run
   * started with.
   */
  labels?: readonly string[];
}
