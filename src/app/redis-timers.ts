import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { acquireLease } from './redis-lease.ts';
import {
  type AppTimers,
  entryKey,
  LocalTimers,
  messageOf,
  type TimerEntry,
  type TimerFiring,
  type TimerLog,
} from './timers.ts';

/**
 * Timers in a Redis sorted set, `flowgate:timers`: the member is the timer (installation, repository, subject,
 * due time, as JSON), the score its due time in ms. Every replica polls the set (at start, then every `pollMs`):
 * one Lua script takes the due members and pushes their score `claimMs` ahead, atomically, so exactly one replica
 * gets each; that replica fires the timer and then removes the member (only if its score is still the one it
 * set). A replica that dies between the claim and the removal leaves the member, which comes due again `claimMs`
 * later for whichever replica polls first. A timer therefore fires once, or, after a crash, again: the engine
 * ignores the second time. The same timer set twice (two replicas, a replayed delivery) is one member.
 *
 * When Redis cannot be reached, a timer is kept in this replica's memory instead (logged), so it is not lost
 * while this replica runs.
 */

export const TIMERS_KEY = 'flowgate:timers';

// KEYS[1] the set; ARGV: now, the claimed score, how many at most. Returns the claimed members.
const CLAIM = `local due = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do redis.call('zadd', KEYS[1], 'XX', ARGV[2], member) end
return due`;
// KEYS[1] the set; ARGV: the member, the score its claim set. Removes it only if nobody claimed it since.
const DONE = `local score = redis.call('zscore', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then return redis.call('zrem', KEYS[1], ARGV[1]) end
return 0`;

export interface RedisTimerTimes {
  /** How often each replica looks for due timers. */
  pollMs: number;
  /** How long a claimed timer is left to its replica before another may take it (a replica that died). */
  claimMs: number;
  /** How many due timers one poll takes at most. */
  batch: number;
}

export const REDIS_TIMER_TIMES: RedisTimerTimes = { pollMs: 1000, claimMs: 5 * 60_000, batch: 100 };

export interface RedisTimerOptions extends Partial<RedisTimerTimes> {
  /** The clock due times are compared with, in ms (default `Date.now`). */
  clock?: () => number;
  /**
   * Minutes between catch-up scans, each run by the one replica that takes the lease `flowgate:catch-up` for that
   * long (0 or absent: none). A Redis restarted without persistence has lost its timers: the scan finds their runs.
   */
  catchUpMinutes?: number;
}

/** The lease one replica takes for each catch-up scan. */
const CATCH_UP_KEY = 'flowgate:catch-up';

export class RedisTimers implements AppTimers {
  readonly #redis: Redis;
  readonly #log: TimerLog;
  readonly #times: RedisTimerTimes;
  readonly #clock: () => number;
  readonly #fallback: LocalTimers;
  #firing: TimerFiring | undefined;
  readonly #started = Promise.withResolvers<TimerFiring>();
  #timer: NodeJS.Timeout | undefined;
  #poll: Promise<number> | undefined;
  #closed = false;
  #down = false;
  readonly #catchUpMinutes: number;
  #catchUp: NodeJS.Timeout | undefined;

  constructor(redis: Redis, log: TimerLog, options: RedisTimerOptions = {}) {
    const { clock, catchUpMinutes, ...times } = options;
    this.#catchUpMinutes = catchUpMinutes ?? 0;
    this.#redis = redis;
    this.#log = log;
    this.#times = { ...REDIS_TIMER_TIMES, ...times };
    this.#clock = clock ?? Date.now;
    this.#fallback = new LocalTimers({ catchUpMinutes: 0, clock: this.#clock }, log);
  }

  start(firing: TimerFiring): void {
    this.#firing = firing;
    this.#started.resolve(firing);
    this.#fallback.start(firing);
    const loop = async () => {
      await this.poll();
      if (!this.#closed) {
        this.#timer = setTimeout(loop, this.#times.pollMs);
        this.#timer.unref();
      }
    };
    void loop();
    if (this.#catchUpMinutes > 0) {
      void this.catchUpIfLeased();
      this.#catchUp = setInterval(() => void this.catchUpIfLeased(), this.#catchUpMinutes * 60_000);
      this.#catchUp.unref();
    }
  }

  /**
   * Runs a catch-up scan if this replica takes the lease for it (one replica per interval across all of them);
   * true when it ran. Without Redis, no replica scans: the timers kept in memory meanwhile fire as set.
   */
  async catchUpIfLeased(): Promise<boolean> {
    const ms = Math.max(1000, this.#catchUpMinutes * 60_000 - 1000);
    try {
      if (!(await acquireLease(this.#redis, CATCH_UP_KEY, randomBytes(8).toString('hex'), ms))) return false;
    } catch (error) {
      this.#log.warn(`timers: no catch-up scan now, Redis cannot be reached (${messageOf(error)})`);
      return false;
    }
    await this.#fallback.catchUpNow();
    return true;
  }

  schedule(entry: TimerEntry): void {
    if (this.#closed) return;
    const member = timerMember(entry);
    this.#redis.zadd(TIMERS_KEY, Date.parse(entry.at), member).then(
      () => {},
      (error: unknown) => {
        this.#log.error(
          `${entryKey(entry)}: the timer for ${entry.at} could not be kept in Redis (${messageOf(error)}); this replica keeps it in memory`,
        );
        this.#fallback.schedule(entry);
      },
    );
  }

  /** How many timers this replica keeps in memory because Redis could not be reached when they were set. */
  get pendingInMemory(): number {
    return this.#fallback.pending;
  }

  /**
   * Claims the timers due now and fires them, one after another; says how many this replica fired. A poll under
   * way is waited for instead of starting a second one; before the app has started the timers, the first poll
   * waits for that.
   */
  poll(): Promise<number> {
    this.#poll ??= this.#claimAndFire().finally(() => {
      this.#poll = undefined;
    });
    return this.#poll;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#catchUp);
    if (this.#firing !== undefined) await this.#poll;
    await this.#fallback.close();
    if (this.#redis.status === 'ready') await this.#redis.quit();
    else this.#redis.disconnect();
  }

  async #claimAndFire(): Promise<number> {
    const firing = this.#firing ?? (await this.#started.promise);
    if (this.#closed) return 0;
    const now = this.#clock();
    const claimed = String(now + this.#times.claimMs);
    let members: string[];
    try {
      members = (await this.#redis.eval(CLAIM, 1, TIMERS_KEY, now, claimed, this.#times.batch)) as string[];
      if (this.#down) this.#log.info('timers: Redis answers again; due timers are fired from it');
      this.#down = false;
    } catch (error) {
      if (!this.#down) this.#log.error(`timers: cannot read the due timers from Redis (${messageOf(error)})`);
      this.#down = true;
      return 0;
    }
    let fired = 0;
    for (const member of members) {
      const entry = parseMember(member);
      if (entry === undefined) {
        this.#log.warn(
          `timers: dropped a member of ${TIMERS_KEY} that is not a timer: ${member.slice(0, 200)}`,
        );
        await this.#done(member, claimed);
        continue;
      }
      try {
        await firing.fire(entry);
        fired++;
      } catch (error) {
        // Left claimed: it comes due again after claimMs, on whichever replica polls first.
        this.#log.error(
          `${entryKey(entry)}: the timer for ${entry.at} could not fire (${messageOf(error)}); tried again in ${this.#times.claimMs / 1000} s`,
        );
        continue;
      }
      await this.#done(member, claimed);
    }
    return fired;
  }

  async #done(member: string, claimed: string): Promise<void> {
    try {
      await this.#redis.eval(DONE, 1, TIMERS_KEY, member, claimed);
    } catch (error) {
      this.#log.warn(
        `timers: a fired timer stays in Redis (${messageOf(error)}); it fires again later, which changes nothing`,
      );
    }
  }
}

/** The sorted set's member for a timer: its fields as JSON, always in the same order, so one timer is one member. */
export function timerMember(entry: TimerEntry): string {
  return JSON.stringify({
    installation: entry.installation,
    owner: entry.owner,
    repo: entry.repo,
    ...(entry.repoId === undefined ? {} : { repoId: entry.repoId }),
    defaultBranch: entry.defaultBranch,
    number: entry.number,
    at: entry.at,
  });
}

function parseMember(member: string): TimerEntry | undefined {
  try {
    const e = JSON.parse(member) as Partial<TimerEntry>;
    if (
      typeof e.installation !== 'number' ||
      typeof e.owner !== 'string' ||
      typeof e.repo !== 'string' ||
      typeof e.defaultBranch !== 'string' ||
      typeof e.number !== 'number' ||
      typeof e.at !== 'string' ||
      (e.repoId !== undefined && typeof e.repoId !== 'number')
    ) {
      return undefined;
    }
    return e as TimerEntry;
  } catch {
    return undefined;
  }
}
