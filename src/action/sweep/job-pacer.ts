import {
  GITHUB_CONTENT_LIMITS,
  type PaceLimits,
  type PaceRecord,
  Pacer,
  paceRecord,
  paceTimes,
} from '../../core/sweep/index.ts';
import type { Log } from '../step-context.ts';

/** Waits longer than this are logged, so that a slow job says why it is slow. */
const LOGGED_WAIT_MS = 5000;

export interface JobPacerParams {
  limits?: PaceLimits;
  now: () => string;
  sleep: (ms: number) => Promise<void>;
  log: Log;
}

/**
 * The pacing of one sweep job's content-creating requests (comments, reactions, labels, issue edits...: every
 * write the job's client sends, see `paceWrites`), across the workflows it sweeps and across jobs: it starts from
 * the requests the dashboards recorded (`adopt`), and each dashboard write carries the requests so far (`record`).
 */
export class JobPacer {
  readonly pacer: Pacer;
  #p: JobPacerParams;

  constructor(params: JobPacerParams) {
    this.#p = params;
    this.pacer = new Pacer(params.limits ?? GITHUB_CONTENT_LIMITS);
  }

  /** Waits until the next content-creating request may go, then counts it as sent. */
  async beforeWrite(): Promise<void> {
    const wait = this.pacer.delayBefore(this.#p.now());
    if (wait >= LOGGED_WAIT_MS) {
      this.#p.log.info(
        `flowgate: waiting ${Math.ceil(wait / 1000)} s before the next write, to stay within GitHub's limits on content creation`,
      );
    }
    if (wait > 0) await this.#p.sleep(wait);
    this.pacer.record(this.#p.now());
  }

  /** Takes in the requests a dashboard's state recorded (an earlier job's), counting none twice. */
  adopt(record: PaceRecord | undefined): void {
    for (const t of paceTimes(record, this.pacer.history())) this.pacer.record(t);
  }

  /**
   * The record to write with the next dashboard state: the requests so far, and the write that will carry it, at
   * the time the pacer will let it go.
   */
  recordWithNextWrite(): PaceRecord {
    const now = Date.parse(this.#p.now());
    const next = now + this.pacer.delayBefore(now);
    return paceRecord([...this.pacer.history(), next]) as PaceRecord;
  }
}
