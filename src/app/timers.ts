/**
 * The app's timers: a run's due times (a stage attempt's deadline, a `delay`, an archive's `after_days`) live in the
 * run's signed state on GitHub; the app also keeps each one here so that it reconciles the subject when the time
 * comes, even if no webhook arrives. Two kinds: `RedisTimers` (redis-timers.ts, with `REDIS_URL`: durable, one
 * replica fires each timer) and `LocalTimers` (this process's memory, plus a catch-up scan of GitHub at start and
 * every few minutes, which finds what a restart lost). Firing a timer twice changes nothing: the engine applies the
 * timer event of a due time once (its id is `timer:<due time>`) and ignores a timer that is not due.
 */

/** One due time of a run, and where its subject is: enough to reconcile it without a webhook. */
export interface TimerEntry {
  installation: number;
  owner: string;
  repo: string;
  /** The repository's id (run states are bound to it). */
  repoId?: number;
  defaultBranch: string;
  number: number;
  /** When it is due (ISO). */
  at: string;
}

/** What catch-up scans found and what they cost. */
export interface CatchUpReport {
  installations: number;
  repositories: number;
  /** Open issues and pull requests carrying a flowgate label: each was reconciled. */
  subjects: number;
  /** The REST requests made to find them (the reconciles' own requests not counted). */
  requests: number;
}

/** What the app gives its timers: how to fire one, and how to find the runs with due timers on GitHub. */
export interface TimerFiring {
  /** Reconciles the entry's subject as a timer (reads the issue first: labels and state as they are now). */
  fire(entry: TimerEntry): Promise<void>;
  /** Lists the installations' open subjects with flowgate labels and reconciles each as a timer. */
  catchUp(): Promise<CatchUpReport>;
}

/** Keeps timers and fires them; the app calls `start` once, `schedule` for each due time a reconcile sets. */
export interface AppTimers {
  start(firing: TimerFiring): void;
  schedule(entry: TimerEntry): void;
  /** Stops firing (and closes what the timers hold open); timers being fired finish. */
  close(): Promise<void>;
}

export interface TimerLog {
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

export interface LocalTimerOptions {
  /** Minutes between catch-up scans (the first runs at start); 0: no scan. */
  catchUpMinutes: number;
  /** The clock timers are measured against, in ms (default `Date.now`). */
  clock?: () => number;
}

const LATE_MS = 1000;
/** setTimeout's longest delay (about 24.8 days); a later timer is set again when this one ends. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Timers in this process's memory (setTimeout), plus the catch-up scan: at start and every `catchUpMinutes`, the
 * app lists the open subjects with flowgate labels and reconciles them, so a timer a restart lost fires at the
 * next scan at the latest. For a single app without Redis.
 */
export class LocalTimers implements AppTimers {
  readonly #options: LocalTimerOptions;
  readonly #log: TimerLog;
  readonly #clock: () => number;
  readonly #pending = new Set<NodeJS.Timeout>();
  #firing: TimerFiring | undefined;
  readonly #started = Promise.withResolvers<TimerFiring>();
  #interval: NodeJS.Timeout | undefined;
  #scan: Promise<CatchUpReport> | undefined;
  #closed = false;

  constructor(options: LocalTimerOptions, log: TimerLog) {
    this.#options = options;
    this.#log = log;
    this.#clock = options.clock ?? Date.now;
  }

  start(firing: TimerFiring): void {
    this.#firing = firing;
    this.#started.resolve(firing);
    if (this.#options.catchUpMinutes <= 0) return;
    void this.catchUpNow();
    this.#interval = setInterval(() => void this.catchUpNow(), this.#options.catchUpMinutes * 60_000);
    this.#interval.unref();
  }

  schedule(entry: TimerEntry): void {
    if (this.#closed) return;
    // A second late: a timer that fired a moment early would find nothing due, and be gone.
    const left = Date.parse(entry.at) - this.#clock() + LATE_MS;
    const timer = setTimeout(
      () => {
        this.#pending.delete(timer);
        if (left > MAX_DELAY_MS) this.schedule(entry);
        else void this.#fire(entry);
      },
      Math.max(0, Math.min(left, MAX_DELAY_MS)),
    );
    timer.unref();
    this.#pending.add(timer);
  }

  /** How many timers wait in memory. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Runs a catch-up scan now (or waits for the one under way) and says what it found; before the app has started
   * the timers, waits for that.
   */
  catchUpNow(): Promise<CatchUpReport> {
    this.#scan ??= (this.#firing === undefined ? this.#started.promise : Promise.resolve(this.#firing))
      .then((firing) => firing.catchUp())
      .then(
        (report) => {
          this.#log.info(
            `timers: catch-up scan of ${report.installations} installation(s), ${report.repositories} repositories: ${report.subjects} subject(s) with flowgate labels reconciled, ${report.requests} requests to find them`,
          );
          return report;
        },
        (error: unknown) => {
          this.#log.error(`timers: the catch-up scan failed (${messageOf(error)}); the next one tries again`);
          return { installations: 0, repositories: 0, subjects: 0, requests: 0 };
        },
      )
      .finally(() => {
        this.#scan = undefined;
      });
    return this.#scan;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#interval);
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
    await this.#scan;
  }

  async #fire(entry: TimerEntry): Promise<void> {
    if (this.#closed || this.#firing === undefined) return;
    try {
      await this.#firing.fire(entry);
    } catch (error) {
      this.#log.error(`${entryKey(entry)}: the timer for ${entry.at} could not fire (${messageOf(error)})`);
    }
  }
}

/** `owner/repo#number`, as logs and locks name a subject. */
export function entryKey(entry: Pick<TimerEntry, 'owner' | 'repo' | 'number'>): string {
  return `${entry.owner}/${entry.repo}#${entry.number}`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
