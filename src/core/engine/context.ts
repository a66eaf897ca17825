/** What the shell passes in so the engine stays pure: the time, and fresh randomness for nonces. */
export interface EngineContext {
  /** ISO 8601 time of this step. */
  now: string;
  /** A fresh random string; the engine derives dispatch nonces from it. */
  nonce: string;
}
