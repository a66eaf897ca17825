/**
 * Preloaded into a child process (`NODE_OPTIONS=--import <this file>`) to move its clock: `Date.now()` and
 * `new Date()` read `TEST_CLOCK_OFFSET_MS` milliseconds ahead of the real time, as a job started that much later
 * would see it. Dates built from a value are left alone.
 */
const offset = Number(process.env.TEST_CLOCK_OFFSET_MS ?? '0');
const RealDate = Date;

class ShiftedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offset);
    else if (args.length === 1) super(args[0] as string | number | Date);
    else super(...(args as [number, number]));
  }

  static override now(): number {
    return RealDate.now() + offset;
  }
}

globalThis.Date = ShiftedDate as DateConstructor;
