/** The first backoff wait; each later one doubles, up to `MAX_BACKOFF_MS`. */
export const FIRST_BACKOFF_MS = 2_000;
export const MAX_BACKOFF_MS = 30_000;
/** The jitter added to a backoff wait: up to this share of it, at random. */
export const JITTER_SHARE = 0.25;
/** The longest `retry-after` flowgate waits out; an API asking for more is not tried again. */
export const MAX_RETRY_AFTER_MS = 60_000;

export type Delay = { ms: number; source: 'retry-after' | 'backoff' } | { tooLongMs: number };

/**
 * How long to wait after failed try number `attempt` (counted from 1). An answer's `retry-after-ms` or
 * `retry-after` (seconds, or an HTTP date) is honoured exactly, up to `MAX_RETRY_AFTER_MS`; past that the result
 * says so (`tooLongMs`). Otherwise: exponential backoff from `FIRST_BACKOFF_MS`, capped at `MAX_BACKOFF_MS`, plus
 * up to `JITTER_SHARE` of it at random, so that many runners rate-limited together do not retry in step.
 */
export function retryDelay(
  attempt: number,
  retryAfter: { ms?: string; seconds?: string } | undefined,
  now: number,
  random: () => number,
): Delay {
  const asked = askedWait(retryAfter, now);
  if (asked !== undefined) {
    return asked > MAX_RETRY_AFTER_MS ? { tooLongMs: asked } : { ms: asked, source: 'retry-after' };
  }
  const base = Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return { ms: Math.round(base + base * JITTER_SHARE * random()), source: 'backoff' };
}

function askedWait(
  retryAfter: { ms?: string; seconds?: string } | undefined,
  now: number,
): number | undefined {
  const ms = number(retryAfter?.ms);
  if (ms !== undefined) return Math.ceil(ms);
  const value = retryAfter?.seconds?.trim();
  if (value === undefined || value === '') return undefined;
  const seconds = number(value);
  if (seconds !== undefined) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function number(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  return Number(text);
}
