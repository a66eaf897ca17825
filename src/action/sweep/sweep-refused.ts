/** The sweep cannot go on, for a reason the job reports as its error (a forged dashboard, a budget refusal). */
export class SweepRefused extends Error {
  override name = 'SweepRefused';
}
