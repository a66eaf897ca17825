import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** Node's fetch (undici) publishes here when a request's headers have been written to its connection. */
const SENT = 'undici:client:sendHeaders';

/**
 * Resolves once this process has sent a request (its headers are on the wire), or once `request` settles,
 * whichever comes first. The Action starts its first request, waits for this, then loads the step's code: the
 * loading (compiling some megabytes of JavaScript, which holds the thread) then overlaps the round trip instead
 * of holding the request back. Costs no request.
 */
export function requestSent(request: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      unsubscribe(SENT, done);
      resolve();
    };
    subscribe(SENT, done);
    request.then(done, done);
  });
}
