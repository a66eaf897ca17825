import type { StageAverage } from './sweep-state.ts';

/** How many of the newest items an average stands for: a price change shows in the ETA after a few batches. */
export const AVERAGE_WINDOW = 100;

/** What one item took at one stage. */
export interface StageSample {
  tokens: number;
  cost_usd: number;
  seconds: number;
}

/**
 * The average with one more item: the mean of every item while there are fewer than 100, then a moving average
 * in which each new item weighs 1/100. Kept short: tokens and seconds to one decimal, dollars to six.
 */
export function withSample(average: StageAverage | undefined, sample: StageSample): StageAverage {
  const samples = Math.min((average?.samples ?? 0) + 1, AVERAGE_WINDOW);
  const step = (old: number | undefined, value: number) => (old ?? 0) + (value - (old ?? 0)) / samples;
  return {
    samples,
    tokens: round(step(average?.tokens, sample.tokens), 1),
    cost_usd: round(step(average?.cost_usd, sample.cost_usd), 6),
    seconds: round(step(average?.seconds, sample.seconds), 1),
  };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
