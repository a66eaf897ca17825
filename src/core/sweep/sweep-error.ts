/**
 * A bad input to the sweep core: a result for an item that was never started, a time that is not a time, a
 * workflow without `on.schedule`. These are bugs in the caller (the shell), never states a user produced, so
 * they are thrown with a sentence that names the value, rather than returned.
 */
export class SweepInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepInputError';
  }
}
